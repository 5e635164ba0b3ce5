"""Made-up articles for tests: nothing here comes from the bundled corpus."""

from pathlib import Path


DAM_A = """Dam collapse in the north kills dozens

By Clara Jensen
March 3, 2024

The Lake Vostra dam collapsed on Monday, flooding three villages near Tromsø in Norway.

Prime Minister Maria Lindqvist said at least 25 people had been killed and 40 injured.

The European Union offered emergency help to Norway, a spokesman for the European Commission said.

Engineers from the Norwegian Water Authority had warned about cracks in the dam since 2019.
"""

DAM_B = """Norway mourns victims of Lake Vostra flood | World | Nordic Wire

Officials in Oslo said 31 people were killed when the dam gave way, a higher toll than first reported.

Maria Lindqvist, the prime minister, visited the flooded villages and promised an inquiry.

Relief convoys from Sweden and Finland reached the area on Tuesday.

Read also:
Ten tips for a cheaper summer holiday

The European Union and the Red Cross sent rescue teams to Norway.
"""

DAM_C = """Weather in Norway turns colder

Norway expects snow in the mountains this weekend, forecasters in Oslo said.

Farmers in Norway moved cattle to lower ground as temperatures fell.

Skiers in Norway welcomed the early snow.
"""

WIRE = """Markets steady after central bank decision

The central bank of Sweden kept its main interest rate at 3.5 percent on Thursday, saying inflation had eased faster than expected across the Nordic region.
"""


def write_corpus(folder: Path, articles: dict[str, str]) -> Path:
    """Make a corpus folder of made-up articles: {file name: text}."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder

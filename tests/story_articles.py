"""Made-up reports for the story tests: two floods of the same kind, in different
towns and weeks, reported by several outlets; and unrelated news. Nothing here
comes from a real article or from the bundled corpus."""

FLOOD_A1 = """River Selva bursts its banks in Corvallo, thousands evacuated

By Ines Marlowe
Harbour Times
2031-03-04

The River Selva burst its banks in Corvallo on Tuesday after four days of rain, forcing thousands of residents from their homes.

Mayor Tomas Ferrante said 3,100 people were evacuated overnight and two people were killed when a bridge over the Selva collapsed.

Rescue teams from the Corvallo fire brigade used boats to reach families stranded on rooftops in the old town.

The regional weather office warned that more rain was expected in the Selva valley on Wednesday.
"""

FLOOD_A2 = """Corvallo flood: bridge collapse kills two as Selva rises

By Paolo Quint
Northern Ledger
2031-03-05

Two people died when a bridge over the River Selva collapsed in Corvallo, Mayor Tomas Ferrante said on Wednesday.

More than 3,000 residents of Corvallo spent the night in school halls after the Selva flooded the old town.

Fire brigade boats pulled stranded families from rooftops, and the army sent trucks with sandbags to the Selva valley.

Ferrante asked the national government for emergency funds to rebuild the bridge.
"""

FLOOD_A3 = """Corvallo counts the cost as Selva flood waters recede

By Lena Hart
Valley Courier
2031-03-07

Flood waters of the River Selva began to recede in Corvallo on Friday, three days after the river burst its banks.

Mayor Tomas Ferrante said the collapse of the bridge, in which two people were killed, would be investigated.

Families evacuated from the old town of Corvallo started returning to homes filled with mud.

Insurers estimated the damage in the Selva valley at forty million euros.
"""

FLOOD_B1 = """Flash flood hits Dunmere after storm, villages cut off

By Ines Marlowe
Harbour Times
2031-06-18

A flash flood swept through Dunmere on Monday after a violent storm, cutting off three villages in the Ardle hills.

Governor Ruth Okonkwo said 400 people were evacuated and one person was missing after the Ardle river rose overnight.

Rescue teams used boats and a helicopter to reach residents stranded on rooftops in Dunmere.

The weather office warned that more rain was expected in the Ardle hills on Tuesday.
"""

FLOOD_B2 = """Dunmere flood: search goes on for missing man as Ardle recedes

By Carl Benning
Northern Ledger
2031-06-19

Rescuers in Dunmere searched on Tuesday for a man missing since the Ardle river flooded the villages of the hills.

Governor Ruth Okonkwo said about 400 residents had been evacuated and the army had sent trucks with sandbags.

Boats and a helicopter reached families stranded on rooftops in Dunmere overnight.

Okonkwo asked the national government for emergency funds for the Ardle hills.
"""

CHESS = """Grandmaster Vika Solberg wins the Port Alder chess open

By Max Ellery
Harbour Times
2031-03-05

Vika Solberg won the Port Alder chess open on Wednesday with a queen sacrifice in the final round.

Solberg, who is nineteen, beat the defending champion Arno Kell in thirty-one moves.

The Port Alder club said the open drew a record number of players this year.
"""

BUDGET = """Parliament passes the Estoria budget after long night session

By Nora Fiel
Valley Courier
2031-03-06

The Estoria parliament passed the national budget early on Thursday after a session of fourteen hours.

Finance Minister Jorge Almada said the budget would cut the deficit and fund new railway lines.

The opposition leader, Clara Runde, called the railway plan a gift to the capital.
"""

ALL = {"a1.txt": FLOOD_A1, "a2.txt": FLOOD_A2, "a3.txt": FLOOD_A3, "b1.txt": FLOOD_B1, "b2.txt": FLOOD_B2,
       "chess.txt": CHESS, "budget.txt": BUDGET}

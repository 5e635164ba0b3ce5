"""The help screen: keys, the query language, the files kreader writes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from reader.core.search.querylang import QUERY_HELP

HELP = """\
# kreader

Read a pile of news articles about one story: the **article list** (left), the
**cleaned text** with people, places and organisations highlighted (middle), and
**cross-references** (right): passages of *other* articles about the same
people, places and events as the passage under the cursor, the other reports
of the same story first (marked ◆ same story).

## Keys

| key | what it does |
|---|---|
| ↑ ↓ / j k | move between passages (or rows of a list) |
| tab / shift+tab | next / previous pane |
| 1 2 3 | focus the article list, the text, the cross-references |
| enter | in cross-references: go to that passage |
| backspace | back to where you were before the last jump |
| / | search people, places and words |
| n / N | next / previous passage mentioning the entity under the cursor (or the one chosen in search) |
| e | the entities of this article (q there: the Quotes view of the one highlighted) |
| Q | the Quotes view: every quote of this passage's speaker (or the entity walked) across the corpus, by article; enter goes to one, n / N walk them |
| b | bookmark the current passage |
| B | the bookmarks |
| r | show or hide what the cleaner removed |
| s | in the article list: sort by path, date, title or site |
| g | group the article list by story (the reports of one event: count, outlets, dates), or list it plain again |
| ] / [ | open the next / previous other report of this article's story |
| ctrl+p | command palette: every action, jump to an entity or article, "Quotes of" a speaker |
| ? / F1 | this help |
| q | quit |

Keys can be remapped in `config.yaml` (see the README) by binding id.

## Colours

People, places and organisations each have their own colour; the passage under
the cursor is marked; removed lines show struck through, with the rule that
removed them. Quoted words are in italics, the speaker shown under the passage.

## Search

```
{query}
```
""".format(query=QUERY_HELP)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        from textual.widgets import Markdown  # loaded when help is first opened
        with VerticalScroll(id="help-body"):
            yield Markdown(HELP)

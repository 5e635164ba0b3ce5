"""The search query language, as the help screen and `kreader search --help` show it."""

QUERY_HELP = """\
query language:
  words             passages holding every word (stemmed: "killed" finds "kill")
  "a phrase"        the words in this order
  a OR b, NOT a     boolean operators (AND is the default; parentheses group)
  protest*          prefix
  pashinian~        fuzzy word (one edit; ~2 for two)
  person:NAME       passages that mention that person, under any of their names;
  place:NAME        NAME is matched fuzzily, so person:pashinian finds Nikol
  org:NAME          Pashinyan; quote names with spaces: place:"nagorno karabakh"
  site:NAME         the publication
  date:2023-09-19   a day; date:2023-09 a month, date:2023 a year;
                    date:[2023-09-01 TO 2023-09-30] a range, date:>2023-09-01
  title:word        words in the title only
  said:NAME         passages where that person or organisation is quoted
A query that names an entity also finds the entity's other names. place:
also finds, ranked after the passages naming the place, the passages of
articles whose headline names it (they speak of "the region").
"""

"""English function words and news reporting verbs: too common to relate two passages."""

STOPWORDS = frozenset("""
a about above after again against all almost also although am among an and another any are aren't around as
at be became because become been before being below between both but by can cannot could couldn't did didn't
do does doesn't doing don't down during each either else even ever every few for from further had hadn't has
hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how how's however i
i'd i'll i'm i've if in into is isn't it it's its itself just least less let's like made make many may me
might more most much must mustn't my myself neither no nor not now of off often on once one only or other
others otherwise ought our ours ourselves out over own per perhaps quite rather same shan't she she'd she'll
she's should shouldn't since so some such than that that's the their theirs them themselves then there
there's these they they'd they'll they're they've this those though through thus to too toward towards under
until up upon us very via was wasn't we we'd we'll we're we've were weren't what what's when when's where
where's whether which while who who's whom whose why why's will with within without won't would wouldn't yet
you you'd you'll you're you've your yours yourself yourselves
say says said saying told tell tells telling add adds added adding according statement reported reports
reportedly stated states noting noted asked claimed claims claim announced
mr mrs ms monday tuesday wednesday thursday friday saturday sunday today yesterday week weeks day days
year years month months time times new last first second including include includes
""".split())

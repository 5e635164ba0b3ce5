"""Word lists for attribution: general English news vocabulary, nothing of one corpus."""

from __future__ import annotations

import re

SPEECH_VERBS = frozenset("""
say says said saying tell tells told telling add adds added adding warn warns warned warning
claim claims claimed claiming insist insists insisted insisting argue argues argued arguing
explain explains explained explaining stress stresses stressed stressing note notes noted noting
declare declares declared declaring announce announces announced announcing admit admits admitted
admitting acknowledge acknowledges acknowledged acknowledging concede concedes conceded conceding
confirm confirms confirmed confirming deny denies denied denying suggest suggests suggested
suggesting predict predicts predicted predicting write writes wrote writing ask asks asked asking
reply replies replied replying answer answers answered respond responds responded comment comments
commented remark remarks remarked observe observes observed state states stated maintain maintains
maintained reveal reveals revealed report reports reported recall recalls recalled complain
complains complained boast boasts boasted joke jokes joked quip quips quipped vow vows vowed
promise promises promised pledge pledges pledged assert asserts asserted allege alleges alleged
contend contends contended point points pointed emphasise emphasises emphasised emphasize
emphasizes emphasized emphasising emphasizing repeat repeats repeated reiterate reiterates
reiterated rule rules ruled agree agrees agreed accept accepts accepted forecast forecasts
estimate estimates estimated hint hints hinted indicate indicates indicated concluded
mention mentions mentioned inform informs informed assure assures assured reassure reassured
disclose discloses disclosed testify testified urge urges urged whisper whispered shout shouted
question questioned questioning
""".split())
"""Verbs that attribute words to a speaker."""

TELL_VERBS = frozenset("tell tells told telling inform informs informed assure assures assured "
                       "reassure reassured".split())
"""Verbs whose listener stands between the verb and what was said (``told the BBC the ...``)."""

DIRECT_ONLY = frozenset("""
urge urges urged concluded whisper whispered shout shouted promise promises promised pledge
pledges pledged
""".split())
"""Verbs that introduce quoted words but not a reported clause of their own."""

NAMING_VERBS = frozenset("""
call calls called calling describe describes described describing dub dubs dubbed brand brands
branded label labels labelled labeled term terms termed praise praises praised condemn condemns
condemned accuse accuses accused criticise criticises criticised criticize criticizes criticized
attack attacks attacked welcome welcomes welcomed dismiss dismisses dismissed reject rejects
rejected blame blames blamed hail hails hailed slam slams slammed defend defends defended
fear fears feared speak speaks spoke spoken
""".split())
"""Verbs that attribute a quoted word or phrase (``called the debate a "charade"``,
``praised his minister for an "excellent job"``) but no reported clause."""

PARTICLE_AFTER = {"point": "out", "points": "out", "pointed": "out"}
"""Verbs that attribute only with their particle (``pointed out``)."""

PRONOUNS = {"he": "person", "she": "person", "it": "organization", "they": "plural", "we": "plural",
            "i": "person"}
"""Subject pronouns, and the kind of mention each refers back to."""

DETERMINERS = frozenset("the a an one another some many several most two three four five his her "
                        "its their our this that these those".split())
"""Words that open a described speaker (``a police spokesman``)."""

INDEFINITE = frozenset("a an one another some many several most two three four five".split())
"""Determiners of a speaker the article does not name."""

BETWEEN = frozenset("""
also later then previously recently has have had was is were are earlier yesterday today tonight
now still however had already again once reportedly further separately subsequently publicly
privately repeatedly simply just last week month year night on monday tuesday wednesday thursday
friday saturday sunday
""".split())
"""Words that may stand between a speaker and the verb (``he also said``, ``Smith on Monday said``)."""

AFTER_CUE = frozenset("""
in a an the statement interview speech letter on monday tuesday wednesday thursday friday saturday
sunday yesterday today tonight last week weekend month year night at press conference recently
earlier this morning evening afternoon previously later on also
""".split())
"""Words of a phrase of time or setting after a verb (``said in a statement on Monday``)."""

ROLE_HEADS = frozenset("""
minister secretary president chancellor premier leader chairman chairwoman chair chief executive
director manager coach boss head founder spokesman spokeswoman spokesperson governor mayor senator
ambassador envoy adviser advisor aide official officer judge prosecutor lawyer analyst economist
expert professor doctor singer actor actress star player striker captain winger midfielder
defender goalkeeper keeper batsman bowler champion writer author director producer presenter
musician rapper artist comedian novelist designer boxer runner athlete driver rider skipper
veteran chairperson partner owner investor campaigner activist candidate deputy mp mep peer
shadow commissioner inspector superintendent detective constable sergeant colonel general
lord baroness father mother son daughter wife husband man woman teenager youngster
""".split())
"""Head nouns of a described person (``the work and pensions minister``)."""

PERSON_DESCRIPTIONS = re.compile(r"^\d+-year-old$|^[a-z]+-year-old$")
"""``the 34-year-old``."""

ORG_HEADS = frozenset("""
company firm group ministry department government office bank agency council committee party
union club board court commission authority institute association federation organisation
organization corporation carmaker maker manufacturer retailer airline operator network channel
broadcaster newspaper paper magazine agency team side service regulator watchdog body league
charity foundation trust fund university school college hospital police army navy force forces
administration cabinet parliament assembly executive exchange giant chain producer supplier
think-tank organisation report study survey research paper alliance coalition
""".split())
"""Head nouns of a described organisation (``the company``, ``the ministry``)."""

GENERIC_COMPANY = frozenset("""
company firm group carmaker maker manufacturer retailer airline operator giant chain producer
supplier club side team broadcaster network channel newspaper paper magazine organisation corporation
organization body think-tank watchdog regulator business report study survey research
""".split())
"""Heads that stand for the organisation last named, whatever its name (``the company``)."""

SPEAKS_FOR = frozenset("office spokesman spokeswoman spokesperson spokespeople aide aides "
                       "representative representatives press service".split())
"""Who speaks on someone's behalf: ``Aliyev's office``, ``Smith's spokesman``."""

DOCUMENT_HEADS = frozenset("statement document letter book website article note communique release "
                           "message post tweet video interview speech".split())
"""Heads of a described source that is a text, not a person (``the official statement``)."""

FUNCTION_WORDS = frozenset("""
a an the and or but of to in on at for with by from as is was were are be been being it he she they
we i you this that these those his her its their our my your has have had do does did so if
than then there here also which who whom whose what when where while would will could should can
may might must shall very just more most such into about over after before up down out off
""".split())
"""Words that alone do not make a reported statement (a piece of them is dropped)."""

FINITE = frozenset("""
is was were are am be has had have will would could should can may might must shall did does do
isn't wasn't weren't aren't hasn't hadn't haven't won't wouldn't couldn't shouldn't can't cannot
mustn't didn't doesn't don't 's ’s rose fell grew came went took made gave saw knew thought found
got left met ran set put paid sold told said began became kept held brought bought won lost spent
hit cut led meant felt sent stood fought built drew broke chose wrote spoke rang fled sought
needs wants remains seems appears looks faces plans expects hopes believes knows thinks lacks
""".split())
"""Finite verbs a plain word test would miss (irregular pasts, common present forms)."""

CLAUSE_OPENERS = frozenset("that if whether how why what when where who".split())
"""Words that open a reported clause."""

SUBJECT_WORDS = frozenset("he she it they we i you there this the a an his her its their our "
                          "some many no all most one two its".split())
"""Words that may open the subject of a reported clause."""

"""The curated lexicon the serious-harm scanner matches: one named rule per way an indicator is written down.

Every rule says why it matches; that text is stored with each finding so an assessor can see why a sentence was
flagged. Analysts test changes with `keepsafe scan` and measure them with `keepsafe scan-corpus` (docs/indicators.md).

Pattern language, one string per pattern, tokens separated by spaces:
- `knife|knives`: one token, any of the words (case-insensitive);
- `stab*`: a token starting with `stab` (alternatives may mix: `threat*|menac*`);
- `'s?`: a trailing `?` makes the token optional;
- `_` any one token; `_{0,3}` up to three tokens of anything;
- `!himself|herself`: any one token except these words;
- `#`: a number, in figures or words;
- `the+victim`: an alternative of several words (`find her|him|the+victim`);
- a literal with a hyphen (`ex-partner`) matches spaCy's split of it (`ex`, `-`, `partner`).

Sources for what counts: seeds/001 (prison intelligence of weapons, drugs, threats and an assault with an improvised
weapon), seeds/004 (domestic abuse call-outs, safeguarding, restraining orders), HMPPS RoSH guidance risk factors as
summarised in research/hmpps.md §1.
"""

from __future__ import annotations

from dataclasses import dataclass

LEXICON_VERSION = "2026-11-23.1"


@dataclass(frozen=True)
class Rule:
    id: str
    indicator: str
    why: str
    patterns: tuple[str, ...]
    # The rule counts only in a sentence where one of these indicators is also found (and not negated).
    requires: frozenset[str] = frozenset()


def _rule(id: str, why: str, *patterns: str, requires: frozenset[str] = frozenset()) -> Rule:
    return Rule(id=id, indicator=id.split(".", 1)[0], why=why, patterns=patterns, requires=requires)


PARTNER = (
    "partner|partners|ex-partner|ex-partners|girlfriend|ex-girlfriend|wife|ex-wife|boyfriend|ex-boyfriend|husband|"
    "ex-husband|spouse|fiancee|fiance"
)
POSSESSIVE = "his|her|their|the|a|former|previous|current|new|'s"
HOME = "house|home|address|flat|workplace|work|office|street|door"
VICTIM = "victim|victim's|complainant|complainant's"
KILL = "kill|murder|stab|shoot|cut|hurt|harm|batter|glass|burn|smash|slash|strangle|petrol|bomb|knife"

RULES: tuple[Rule, ...] = (
    # Weapons: possession, use, threats with, improvised weapons.
    _rule(
        "weapons.bladed",
        "a knife or other bladed article is mentioned",
        "knife|knives|blade|blades|machete|machetes|shank|shanks|shiv|shivs|razor|razors|cleaver|dagger|sword|swords",
        "bladed article|articles|weapon|weapons",
        "lock knife|knives",
        "razor blade|blades",
    ),
    _rule(
        "weapons.improvised",
        "an improvised or home-made weapon is described",
        "improvised|homemade|home-made|makeshift|fashioned|adapted|sharpened _{0,1} weapon|weapons|blade|blades|"
        "implement|knife|toothbrush|spoon|toothbrushes|object",
        "weapon|weapons made|fashioned|created from",
        "sock|socks containing|with|filled batteries|battery|padlock|padlocks|snooker|pool",
        "table|chair|bed leg|legs",
        "broken|smashed bottle|bottles|glass",
        "hot water mixed|and with sugar",
        "jug _{0,2} boiling water",
    ),
    _rule(
        "weapons.firearm",
        "a firearm, ammunition or other weapon is mentioned",
        "firearm|firearms|gun|guns|handgun|handguns|shotgun|shotguns|pistol|pistols|rifle|rifles|revolver|"
        "ammunition|crossbow|crossbows|taser|tasers|knuckleduster|knuckledusters",
        "knuckle duster|dusters",
        "imitation firearm|gun|pistol",
        "offensive weapon|weapons",
        "baseball bat|bats",
        "weapon|weapons",
    ),
    _rule(
        "weapons.used",
        "a weapon was used against a person (stabbing, slashing, glassing, or hitting with an object)",
        "stab|stabs|stabbed|stabbing|stabbings|slash|slashed|slashing|glassed|glassing|shot|shooting",
        "with a|an hammer|bat|bottle|brick|screwdriver|crowbar|belt|chain|iron|bar|axe|wrench|spanner|golf|"
        "chair|table|stick|pole|pipe",
        "metal|iron|steel|wooden bar|pipe|pole|rod|bat|stick",
        "shoot|shot|shooting _{0,1} the|him|her|them|witness|man|woman|someone",
    ),
    # Threats to harm others.
    _rule(
        "threats.threatened",
        "a threat to harm someone is recorded",
        "threaten|threatens|threatened|threatening|threat|threats|menaced|menacing",
    ),
    _rule(
        "threats.stated_intent",
        "he said he would harm someone",
        f"would|will|'d|'ll|gonna|going|wants|want|intends|intend|planning|plans {KILL} !himself|herself|myself|"
        "themselves|yourself|itself|time",
        f"would|will|'d|'ll|gonna|going to {KILL} !himself|herself|myself|themselves|yourself|itself|time",
        f"planning|plans|intends|intending|wants to {KILL}|get|sort|do",
        "would|will|'d|'ll smash _ face",
        "would|will|'d be dead",
        "fear of violence",
        "intimidat*",
        "do the+victim|him|her|them|someone in",
        "feels|feel|felt like hurting|killing|stabbing|attacking|hitting _{0,1} people|someone|him|her|them",
        "burn|torch _{0,1} the|his|her place|house|flat down",
    ),
    # Violence.
    _rule(
        "violence.assault",
        "physical violence against a person is recorded",
        "assault|assaults|assaulted|assaulting",
        "headbutt|headbutted|headbutting|strangle|strangled|strangling|strangulation|choked|choking|throttle|"
        "throttled|slapped|slapping|beaten|battered|battering",
        "punched|punching",
        "punch|punches|kick|kicks|kicked|kicking|beat|beating|slap|stamp|stamped|stamping _{0,1} him|her|them|me|"
        "someone|another|man|woman|victim|officer|prisoner|partner|head|face|body|on|cellmate|neighbour|child",
        "stabbed|glassed|slashed|wounded",
        "stabbing|glassing|slashing a|the|his|her|another _{0,1} man|woman|victim|officer|prisoner|partner",
        "attack|attacked|attacking|attacks",
        "wounding|wounded _{0,2} him|her|his|a|the|neighbour|man|woman|victim",
        "fight|fights|fighting|fought|brawl|brawling|scuffle|scuffles",
        "affray|wounding|gbh|abh|robbery|arson",
        "grievous|actual bodily harm",
        "grabbed _{0,2} by the throat|neck|hair",
        "pushed|shoved her|him|them|the",
        "hit|hitting|struck _{0,1} her|him|them|a|the|his|someone|man|woman|partner|victim|officer",
        "violent|violence offence|offences|offending|history|incident|incidents|behaviour|outburst|outbursts",
        "history|pattern of _{0,1} violence",
        "visible? injuries|bruising|bruises to|on her|his|the face|neck|arm|arms|body|head|throat",
        "throw|threw|thrown _{0,5} over another|a|the|his|her prisoner|man|woman|officer",
    ),
    # Attitudes supportive of violence.
    _rule(
        "pro_violence_attitudes.justifies",
        "he justifies or endorses violence",
        "deserved|deserves|deserve _{0,4} hit|beating|hurt|slap|kicking|punch|what|it",
        "got what _{0,1} deserved",
        "got|get what was|is coming to him|her|them",
        "violence is|was _{0,1} part of life|normal|how",
        "had|has it coming",
        "asking for it",
        "violence is _{0,2} necessary|acceptable|justified|normal|needed|answer|way",
        "hitting|beating|slapping them|her|him|women|people is|was acceptable|okay|ok|fine|normal|justified",
        "only way to earn|get|gain respect",
        "for his|my|their own? protection",
        "for protection|self-defence|defence",
        "celebrates|glorifies|glorifying|celebrating _{0,1} gang? violence|stabbing|stabbings|shooting|knife",
        "expressed|expresses|voiced support for _{0,3} attacked|stabbed|killed|assaulted|attack|violence",
    ),
    # Callousness or lack of remorse.
    _rule(
        "callousness.no_remorse",
        "he shows no remorse, empathy or concern for the victim",
        "no|lack|lacks|without|little remorse|empathy|regret|guilt",
        "lack of _{0,1} remorse|empathy|concern",
        "without _{0,2} emotion|concern|empathy|remorse",
        "does|did not care what happens|happened",
        "does|did not care about the? victim|her|him",
        "laughed|laughing|smiled|smirked _{0,3} injuries|dock|victim|court|harm",
        "bragged|bragging|boasted|boasting|boasts|brags",
        "no|little|lacks|limited insight into _{0,3} harm|offence|impact|victim",
        "jokes|joked|joking|laughs|laughed about _{0,2} offence|harm|victim|attack|assault|injuries",
        "should have known better",
        "not|n't his|my fault",
        "would happily do _{0,3} again",
        "blames|blamed|blaming the|her|his|him victim|partner|ex-partner|her|him",
        "minimised|minimises|minimising _{0,1} the|his offence|offending|harm|violence",
        "describes|described|calls|called the victim as? a|an liar|slag|attention",
        "she|he|they provoked him|her|them|me",
    ),
    # Domestic abuse: call-outs, partner violence, coercive control.
    _rule(
        "domestic_abuse.named",
        "domestic abuse is recorded",
        "domestic abuse|violence|incident|incidents|assault|assaults|argument|arguments|disturbance|disturbances|"
        "call-out|call-outs|callout|callouts|abuser|related|dispute|disputes",
        "attended|attend|called|call|report|reports to|of? a domestic",
        "dash|marac|idva|clare",
        "controlling or coercive behaviour|behavior",
        "coercive control|controlling|behaviour",
        "daddy|dad|father hurts|hit|hits|hurt mummy|mum|mother",
    ),
    _rule(
        "domestic_abuse.control",
        "controlling behaviour towards a partner is described",
        "controls|controlled|controlling her|his money|finances|phone|contact|movements",
        "checks|checking|checked|monitors|monitoring|tracks|tracking her|his|their _{0,2} phone|messages|location",
        "will|would not let _{0,3} see her|his friends|family",
        "will|would not let her|him leave|go|out|work",
        "reads|read|reading all? her|his messages|phone|emails|texts",
        "goes|went|going through all? her|his messages|phone|emails|texts",
        "takes|took|taken|taking her|his bank|benefits card|cards|money|wages",
        "stopping|stops|stopped her _{0,1} seeing friends|family",
        "locked her in",
        "smashed|took|taken|broke her phone",
        "fled|fleeing the area|home|refuge|house",
        "afraid|frightened|scared of him",
    ),
    _rule(
        "domestic_abuse.partner_harm",
        "a partner or former partner is the one harmed, threatened or pursued",
        f"{POSSESSIVE} {PARTNER}",
        f"her|his|their {PARTNER}",
        f"{PARTNER}",
        "his mother|father|mum|dad|sister|brother|son|daughter",
        requires=frozenset({"violence", "threats", "stalking", "pro_violence_attitudes"}),
    ),
    # Stalking, harassment, fixation.
    _rule(
        "stalking.named",
        "stalking or harassment is recorded",
        "stalk|stalks|stalked|stalking|stalker|harass|harasses|harassed|harassing|harassment",
        "fixated|fixation|obsessed|obsessive on|with|about",
        "silent calls",
    ),
    _rule(
        "stalking.pursuit",
        "he pursues, watches or repeatedly contacts someone who does not want it",
        "follows|followed|following her|the _{0,1} to",
        "sitting|waiting|parked|watching|loitering|seen|observed|spotted|driving|drove|drives outside|near|past|around "
        "_{0,5} "
        f"{HOME}",
        f"watching _{{0,2}} {VICTIM} 's? {HOME}|social|house",
        f"turning|turned|turns up at _{{0,3}} {HOME}|gates|school",
        f"going|went|attended to|at _{{0,1}} {VICTIM} 's? {HOME}",
        "calling|called|phoning|texting|messaging|contacting _{0,4} repeatedly",
        f"messaging|messaged|contacting|contacted|written|wrote|writing to? the {VICTIM}",
        "# calls|messages|texts|letters to",
        "dozens|hundreds|numerous _{0,1} calls|messages|texts|letters",
        "over|than # text? messages|calls|texts|letters",
        "fake _{0,3} accounts to contact|message|follow",
        "posting|posted photos|pictures|images of the victim",
        f"information about|on the {VICTIM} 's? new? address|whereabouts|location",
        f"asking|asked _{{0,3}} for the {VICTIM} 's? new? address|number|phone",
        f"searching|looking for _{{0,1}} {POSSESSIVE}? {PARTNER}|victim",
        "come|came|coming looking for her|him",
        "find|track|hunt her|him|the+victim",
        "will|won't|not give up on her|him",
        "ringing|phoning|calling|texting|messaging her|him from different|withheld|new|unknown numbers|number",
        "list|lists|details of _{0,3} victim|victim's|her _{0,6} addresses|address|family|workplace",
        f"outside|near|at the {VICTIM} 's? {HOME}|road|street|house|school|workplace",
        f"going|went|goes to the {VICTIM} 's? road|street|area",
        f"seen near _{{0,1}} {HOME}",
        "received _{0,1} letter|letters|message|messages|gifts from him via",
    ),
    # Breach of a restraining or other civil order.
    _rule(
        "order_breach.breach",
        "a restraining, protective or prevention order was breached",
        "breach|breached|breaching|broke|broken|contravened _{0,4} restraining|molestation|harm|protection|"
        "prevention|injunction|shpo|sopo|spo|dapo|notification|behaviour",
        "restraining|molestation|protection|prevention order|orders _{0,2} breached|broken",
        "failing|failure|failed to comply with _{0,1} notification requirements",
    ),
    # Child safeguarding.
    _rule(
        "child_safeguarding.process",
        "a child protection or safeguarding process is recorded",
        "child protection plan|plans|register|conference|enquiry|investigation|concerns",
        "section 47|s47",
        "child|children in need plan|plans",
        "child|children|baby was|were present|there|home",
        "care proceedings",
        "child|children|baby has|have|had been exposed|harmed|injured",
        "black eye|bruise|bruises|burn|burns|injury|injuries _{0,3} his|her dad|father|mum|mother|stepfather",
        "arrived|came _{0,1} with a? black eye|bruises|bruising|injuries",
        "child|children|girl|boy under # ",
        "neighbours'|neighbour's|partner's|friend's|sister's children|child|kids",
        "pre-birth assessment",
        "safeguarding referral|referrals|concern|concerns",
        "strategy meeting",
        "foster care",
        "removed into care|foster",
        "children were|was|have been removed",
    ),
    _rule(
        "child_safeguarding.risk",
        "a child is at risk, harmed or exposed to harm",
        "risk to|towards _{0,1} children|child",
        "neglect|neglected",
        "bruising|bruises|injuries on|to the child|child's|children's",
        "children|child witnessed|exposed",
        "children have|had been exposed",
        "child _{0,2} disclosed|told",
        "hungry|unkempt|malnourished",
        "# - year - old girl|boy|child|son|daughter",
        "teenage|young daughter|son|girl|boy|girls|boys",
        "unsupervised contact with _{0,2} children|child",
        "not|no permitted|allowed to? have? unsupervised? contact with _{0,2} children|child",
        "contact with _{0,2} children|child",
        "woman|partner who has _{0,2} children|child",
        "near a|the primary|secondary school|playground|park",
        "indecent images|photographs|photos|pictures of children|child|a+child",
        "sexual activity with a child|children",
    ),
    # Sexual harm.
    _rule(
        "sexual_harm.offence",
        "sexual offending or sexually harmful behaviour is recorded",
        "rape|raped|raping|rapes",
        "sexual assault|assaults|activity|offence|offences|offending|abuse|exploitation",
        "sexually assaulted|assaulting|abused|explicit|harassed",
        "indecent images|photographs|photos|exposure|assault",
        "exposed|exposing|exposes himself|herself",
        "masturbating|masturbated|masturbates",
        "messages|images|photos|comments|content|behaviour of a sexual nature",
        "sexual|sexually harmful|inappropriate|motivated",
        "extreme pornographic|pornography images?",
        "groom|grooms|groomed|grooming",
        "inappropriate sexual comments|behaviour|contact|remarks",
        "sexualised terms|comments|language|behaviour|remarks",
        "degrading sexual terms|comments|language",
    ),
    # Substance misuse.
    _rule(
        "substance_misuse.drugs",
        "illicit drug use, possession, supply or debt is recorded",
        "spice|heroin|cocaine|crack|cannabis|buprenorphine|subutex|opiates|opioids|amphetamine|amphetamines|mdma|"
        "ketamine|benzodiazepines|benzos|methamphetamine|hooch|psychoactive|nps",
        "drug|drugs use|using|debt|debts|dealer|dealing|supply|supplying|paraphernalia|misuse|find|finds|relapse",
        "dealing|supplying|selling|bringing drugs|class",
        "using|used|taking|took|smoking|injecting drugs|substances",
        "unknown|illicit substance",
        "white powder",
        "positive for",
        "under the influence",
        "intoxicated|intoxication",
        "relapsed|relapse into? _{0,1} drug|heroin|crack|alcohol|drinking|use",
    ),
    _rule(
        "substance_misuse.alcohol",
        "alcohol misuse is recorded",
        "drunk|drunken|inebriated",
        "drink driving",
        "smelled|smelt|smelling _{0,1} of alcohol|drink",
        "drinking heavily|excessively|again|before|in|around|every|daily",
        "drinking _{0,1} a|around|over litre|litres|bottle|bottles|cans",
        "alcohol misuse|dependency|dependent|abuse|binge",
    ),
    # Disengagement from supervision.
    _rule(
        "disengagement.absence",
        "he missed appointments or cannot be found",
        "failed|fails|failing to attend|comply|report",
        "missed|missing _{0,4} appointment|appointments|sessions|session",
        "missed four|three|two|several of",
        "not|n't attended|attend _{0,5} sessions|appointments|session|appointment",
        "missed|missing _{0,2} doses|dose|tests|test|drug+tests",
        "not|n't called|phoned|rung back",
        "not|n't at home for _{0,3} visit",
        "wanted on recall|warrant",
        "not been seen",
        "whereabouts _{0,2} unknown",
        "uncontactable|absconded|unlawfully",
        "missing from",
        "not responded|responding to _{0,1} calls|messages|letters",
        "not answering|returning _{0,1} his|her phone|calls",
        "not returned for",
        "walked|stormed out of",
    ),
    _rule(
        "disengagement.refusal",
        "he refuses or has stopped engaging",
        "refused|refuses|refusing|declined|declines to _{0,1} attend|engage|complete|comply|tell|have|provide|see|do|"
        "meet|speak|work",
        "refused|refuses|refusing|declined|declines contact|engagement",
        "not engaging|engage",
        "disengaged|disengaging|disengagement",
        "stopped attending|engaging",
        "discharged _{0,4} for|due non-attendance|disengagement",
        "does not want probation|supervision|support involvement|contact",
        "will|would not engage",
    ),
    # Loss of accommodation.
    _rule(
        "accommodation_loss.homeless",
        "he has lost, or is about to lose, his accommodation",
        "evicted|eviction|evicting",
        "homeless|homelessness",
        "no fixed abode|address",
        "nfa",
        "sofa surfing|surfing",
        "sofa-surfing",
        "rough sleeping|sleeper",
        "sleeping rough|outside|in+his+car|in+a+car|in+a+tent|on+the+streets",
        "living in his|a car|tent",
        "nowhere to live|stay|go|sleep",
        "no accommodation|address|housing _{0,1} arranged|for|on",
        "sleeping in a|his|her _{0,2} shed|garden|garage|car|van|tent|park|doorway|stairwell",
        "asked|told him|her to leave",
        "section 21|8 notice",
        "possession order",
        "notice to quit|leave",
        "asked|told to leave _{0,2} home|house|flat|address|property",
        "lost his|her _{0,1} tenancy|room|flat|home|place|accommodation",
        "losing his|her _{0,1} tenancy|room|flat|home|place|accommodation",
        "excluded him|her|from the? hostel|premises",
        "hostel has excluded",
        "abandoned the property|tenancy|flat",
    ),
    # Deteriorating mental health.
    _rule(
        "mental_health.deterioration",
        "deteriorating mental health, self-harm or suicidal thinking is recorded",
        "hearing voices",
        "psychosis|psychotic|paranoid|paranoia|delusional|delusions|hallucinations|manic",
        "suicidal|suicide",
        "suicide attempt|attempts|ideation|thoughts",
        "thoughts|thinking of|about harming|hurting|killing|cutting himself|herself",
        "mental state|health _{0,2} deteriorat*|declin*|worse|worsening|concern*|worried",
        "worried|concerned|concerns about his|her mental state|health",
        "psychiatric team|ward|unit|admission|assessment",
        "erratic|tearful|agitated",
        "self-harm|self-harming|self-harmed",
        "thoughts of ending _{0,1} life",
        "ending his|her life",
        "kill himself|herself",
        "jump from|off",
        "overdose|overdosed",
        "crisis team",
        "low in mood",
        "low mood",
        "deterioration|deteriorating|decline|declining in? his|her? mental health",
        "mental health has deteriorated|declined|worsened",
        "mental health act",
        "admitted _{0,3} under section",
        "sectioned",
        "stopped taking _{0,2} medication",
        "antidepressants|antipsychotics",
        "acct",
    ),
)

# Context cues (NegEx: Chapman et al., "A simple algorithm for identifying negated findings", J Biomed Inform 2001).
# A negation before a finding, within NEGATION_WINDOW tokens and with no terminator between, cancels it.
NEGATION_BEFORE = (
    "no|not|n't|never|without|nor|neither|none",
    "denied|denies|deny|denying",
    "no evidence|sign|signs|indication|record|history|intelligence|concerns|reports|report of",
    "nothing to suggest|indicate",
    "free from|of",
    "ruled out",
    "not guilty of",
    "acquitted of",
    "no longer",
)
# Negations after the finding, within POST_WINDOW tokens.
NEGATION_AFTER = (
    "was|were not found|present|substantiated|proven|seen",
    "unsubstantiated|unfounded|unproven|disproved",
    "was|were|been withdrawn|dropped|dismissed",
    "was|were negative",
    "not substantiated|proven",
)
# Phrases that contain a negation word but do not negate ("no further action" follows a real incident).
PSEUDO_NEGATION = (
    "no further action",
    "not only",
    "no doubt",
    "not just",
    "no-contact",
    "no contact instruction|condition",
    "not to contact",
    "not guilty plea",
)
# Hypothetical or conditional talk: the finding has not happened ("if he were to...").
HYPOTHETICAL_BEFORE = (
    "if|unless|whether",
    "should he|she|they",
    "were he|she|they to",
    "in the event",
    "in case",
    "reduce|prevent|avoid|minimise the? risk",
    "to prevent|avoid|reduce",
    "advised|warned|reminded that",
    "condition not to",
    "would lead|result",
    "consequences of",
    "plan for",
)
HYPOTHETICAL_AFTER = ("would|could|might lead|result|mean",)
# The person is the one harmed, not the one harming ("he was assaulted by another resident").
EXPERIENCER_BEFORE = ("victim of", "threatened by", "was|were assaulted|attacked|threatened|stabbed|hit by")
EXPERIENCER_AFTER = ("by another|other|a|an|someone|his|her|staff|officers|police",)
# Findings of an indicator inside one of these phrases are not findings of it: naming an order is not the behaviour
# the order prevents, sexual assault is sexual harm rather than violence, a threat to oneself is a mental-health sign.
EXCLUSIONS: dict[str, tuple[str, ...]] = {
    "violence": (
        "sexual|sexually|indecent|indecently assault|assaults|assaulted|assaulting",
        "punched|punching|kicked|kicking|hit|smashed a|the|his|her? door|doors|wall|walls|window|windows|car",
    ),
    "stalking": ("stalking protection order|orders|notice",),
    "domestic_abuse": ("domestic abuse protection order|orders|notice",),
    "threats": (
        "threat|threats|threatening|threatened to jump|overdose|self-harm",
        "threat|threats|threatening|threatened to kill|harm|hurt|cut himself|herself",
        "threat|threats|threatening|threatened to end|take his|her|own life",
    ),
    "disengagement": ("failing|failed|failure to comply with _{0,2} notification",),
}
# A violent act inside a statement of attitude ("deserves a beating") is the attitude, not an act of violence.
SUBSUMED_BY = {"violence": "pro_violence_attitudes"}
# Findings as strong as these negate from further away ("the alleged assault ... was found to be unsubstantiated").
NEGATION_AFTER_FAR = ("unsubstantiated|unfounded|unproven|disproved", "not substantiated|proven")
NEGATION_AFTER_FAR_WINDOW = 10
# Words that end a negation's reach: a new clause about something else.
TERMINATORS = frozenset(
    {"but", "however", "although", "though", "yet", "except", "whereas", "which", "despite", "while", "whilst", ";"}
)
NEGATION_WINDOW = 8
POST_WINDOW = 4
HYPOTHETICAL_WINDOW = 12
EXPERIENCER_WINDOW = 3
EXPERIENCER_INDICATORS = frozenset({"violence", "threats", "domestic_abuse", "weapons"})

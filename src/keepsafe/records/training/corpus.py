"""A synthetic, annotated corpus of record texts in nine styles, for training and measuring the indicator scanner.

Texts are composed from templates (`[[indicator|words]]` marks an annotated span, `{slot}` draws from a word list,
recursively) and then roughed up the way real notes are: lower case, dropped full stops, abbreviations, typos.
Each style (police call-out logs, prison intelligence, children's services, court results, victim liaison,
practitioners' contact notes, approved premises logs, drug services, mental health services) has its own frames and
templates; the events inside them share a vocabulary of people, weapons, harms and slang. About a third of the
texts are hard negatives (negation, hypothesis, him as the victim, orders made but not breached, licence breaches,
property damage, threats to himself, administrative text, form answers of "None known").

Generated with a fixed seed, so the corpus, and the classifier trained on it, are reproducible. Annotation follows
the "what counts" column of docs/indicators.md. Source for the record styles: seeds/001-004 and research/hmpps.md.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

STYLES = (
    "police",
    "prison_intelligence",
    "childrens_services",
    "court",
    "victim_liaison",
    "contact_notes",
    "approved_premises",
    "drug_services",
    "mental_health",
)

# --- people -------------------------------------------------------------------------------------------------------
SLOTS: dict[str, list[str]] = {
    "he": ["he", "he", "he", "Mr {surname}", "{first}", "the subject", "POP", "PoP", "the male", "SU", "the offender",
           "the service user", "the prisoner", "the resident", "{surname}", "the client"],
    "He": ["He", "He", "He", "Mr {surname}", "{first}", "The subject", "POP", "PoP", "The male", "SU",
           "The offender", "The service user", "{surname}", "Subject", "The client", "Male"],
    "first": ["Dean", "Kyle", "Jason", "Lee", "Darren", "Marcus", "Tyrone", "Connor", "Wayne", "Ricky", "Stephen",
              "Aaron", "Jamal", "Craig", "Liam", "Shane", "Paul", "Kieran", "Daniel", "Mohammed", "Tomasz", "Ryan"],
    "surname": ["Smith", "Jones", "Hughes", "Clarke", "Okafor", "Walsh", "Patel", "Brennan", "Kowalski", "Reid",
                "Doyle", "Ahmed", "Murphy", "Barker", "Lewis", "Nowak", "Price", "Grant", "Fletcher", "Mensah"],
    "fname": ["Kelly", "Amy", "Sarah", "Leanne", "Chantelle", "Gemma", "Jade", "Nicola", "Aisha", "Kirsty",
              "Stacey", "Laura", "Danielle", "Zoe", "Emma", "Priya", "Shannon", "Rebecca", "Toni", "Megan"],
    "partner": ["partner", "girlfriend", "ex-partner", "ex partner", "wife", "ex-wife", "ex", "gf", "ex-gf",
                "fiancee", "missus", "baby mother", "BM", "former partner", "on/off partner", "new partner",
                "current partner", "estranged wife", "ex girlfriend", "co-habiting partner"],
    "his_partner": ["his {partner}", "his {partner}", "his {partner} {fname}", "{fname}, his {partner},",
                    "the mother of his children", "his {partner}", "her", "{fname} (ex-partner)",
                    "{fname} (partner)", "his {partner}"],
    "family": ["his mum", "his mother", "his dad", "his father", "his sister", "his brother", "his nan",
               "his stepfather", "his son", "his daughter", "his grandmother", "his aunt", "his uncle"],
    "stranger": ["a member of the public", "another male", "a man", "a woman", "a stranger", "a shopkeeper",
                 "a bus driver", "a neighbour", "the victim", "the IP", "the injured party", "a taxi driver",
                 "a delivery driver", "a security guard", "a lad", "a youth", "an associate", "a friend",
                 "his cellmate", "another prisoner", "another resident", "a member of staff", "an officer",
                 "a PCO", "a doorman", "a teenager", "an elderly man", "the complainant", "his co-defendant"],
    "victim": ["{stranger}"],
    "child": ["his son", "his daughter", "the child", "the children", "the baby", "her son", "the kids",
              "{kid} ({age})", "{kid}, aged {age},", "the {age} year old", "the toddler", "the infant",
              "his stepdaughter", "his stepson", "their daughter", "their son", "the eldest child",
              "the youngest", "both children", "the 2 children", "his 3 kids"],
    "kid": ["Tyler", "Mia", "Alfie", "Lily", "Jayden", "Ruby", "Leo", "Poppy", "Harvey", "Amelia", "Kai", "Isla"],
    "age": ["2", "3", "4", "5", "6", "7", "8", "9", "11", "12", "13", "14", "15"],
    "date": ["12/03", "04/11", "27/06", "1/2", "15.08", "03/09/26", "22/1", "9/12/25", "30/05", "17/07"],
    "time": ["23:40", "02:15", "18:05", "21:30", "0130hrs", "1645", "14:20", "03:55", "19:45", "11:10"],
    "num": ["2231", "1047", "887", "3302", "5519", "0412", "7781", "9034", "6120", "4488"],
    "place": ["the pub", "a shop", "the town centre", "a petrol station", "the bus station", "a park", "outside a club",
              "the high street", "a takeaway", "the estate", "the wing", "the exercise yard", "the servery",
              "the landing", "the hostel", "the kitchen", "the car park", "a house party", "the workshop"],
    # --- weapons ---
    "knife": ["knife", "kitchen knife", "lock knife", "blade", "machete", "Stanley knife", "box cutter", "shank",
              "chiv", "shiv", "zombie knife", "flick knife", "craft knife", "blade", "kitchen knife", "nanny",
              "bread knife", "carving knife", "razor blade"],
    "object": ["a chair leg", "a bottle", "a broken bottle", "a glass", "a pint glass", "a tray", "a metal tray",
               "a belt", "a brick", "a hammer", "a pool cue", "a snooker ball in a sock", "a sock full of batteries",
               "a padlock in a sock", "a kettle of boiling water", "a flask", "a table leg", "a screwdriver",
               "a metal bar", "a baseball bat", "a golf club", "a crowbar", "an iron bar", "a rock", "a walking stick",
               "a mop handle", "a fire extinguisher", "a chain", "a dumbbell", "a PlayStation controller",
               "a claw hammer", "a wrench", "a plank", "a scaffold pole", "a cosh", "a bat", "a steel toe-capped boot"],
    "gun_slang": ["a gun", "a firearm", "a handgun", "a sawn-off shotgun", "a strap", "a ting", "a burner",
                  "a piece", "a shotty", "an imitation firearm", "a BB gun", "a taser", "a stun gun",
                  "a crossbow", "CS spray", "pepper spray", "a knuckleduster", "knuckle dusters", "a bore",
                  "an air rifle", "ammunition", "a blank firing pistol"],
    "improvised": ["a sharpened toothbrush", "a melted toothbrush with a razor blade", "an improvised blade",
                   "a homemade weapon", "a makeshift blade", "a sharpened piece of metal", "a sharpened spoon",
                   "a weapon fashioned from a razor", "a sharpened bedframe part", "a blade made from a tin lid",
                   "an adapted razor", "a shiv made from a toothbrush", "a sharpened plastic fork"],
    # --- harms ---
    "harm_past": ["punched", "kicked", "headbutted", "stamped on", "slapped", "strangled", "choked", "throttled",
                  "battered", "beat up", "attacked", "assaulted", "hit", "booted", "smacked", "leathered",
                  "glassed", "bottled", "knocked out", "floored", "jumped", "rushed", "set about", "laid into",
                  "bit", "scratched", "dragged", "pinned down", "shoved", "pushed", "elbowed", "twatted", "decked",
                  "spat at", "grabbed", "put hands on", "swung for", "kneed", "stabbed", "slashed", "wounded",
                  "knocked to the ground", "rammed", "struck", "lamped", "clipped", "battered and kicked", "rag-dolled",
                  "stuck the nut on", "gave a kicking to", "gave a beating to", "clumped", "belted", "sparked out",
                  "done over", "roughed up", "thumped", "walloped", "socked", "bodied", "knocked out cold",
                  "kicked off on", "smashed up", "slung to the floor", "whacked", "bashed", "pummelled", "booted in",
                  "scalded", "burned with a cigarette", "bit the ear of", "gouged the eye of"],
    "harm_ing": ["punching", "kicking", "headbutting", "stamping on", "slapping", "strangling", "choking",
                 "assaulting", "attacking", "hitting", "beating", "battering", "biting", "pushing", "shoving",
                 "hurting", "glassing", "stabbing", "slashing"],
    "injury": ["needed stitches", "was left with a fractured cheekbone", "suffered a broken jaw",
               "was left unconscious", "had a bleed on the brain", "required hospital treatment",
               "was taken to A&E with head injuries", "lost two teeth", "needed 12 stitches to his face",
               "suffered a fractured eye socket", "was left with cuts and bruising", "had a black eye and a split lip",
               "needed surgery", "was hospitalised", "sustained serious injuries", "was in a coma for two days",
               "had marks round her neck", "had bruises on her arms", "had a broken nose"],
    "charge": ["GBH", "GBH with intent", "section 18 wounding", "s.18", "s.20 GBH", "ABH", "s.47 ABH", "murder",
               "attempted murder", "manslaughter", "wounding with intent", "affray", "violent disorder",
               "robbery", "aggravated burglary", "common assault", "assault occasioning ABH",
               "assault on an emergency worker", "unlawful wounding", "causing grievous bodily harm"],
    # --- threats ---
    "threat_speech": ["I'll kill you", "I'm going to kill you", "you're dead", "you're a dead man", "I'll do you in",
                      "I'll cut you", "you'll get wet up", "I'll wet you up", "I'll stab you up",
                      "watch your back", "I know where you live", "I'll burn your house down",
                      "you won't see Christmas", "I'll put you in the ground", "I'll smash your face in",
                      "I'll bury you", "I'll end you", "you're getting merked", "I'll shank you",
                      "I'll get you done", "I'll have you done", "I'll get someone to sort you out",
                      "I'll break your legs", "I'll slice you", "I'll finish you", "you're gonna get it",
                      "you'll be sorry", "I'll come for you", "I'll get you when I'm out",
                      "I'll torch the place with you in it", "I'm gonna batter you", "next time I see you you're done",
                      "I'll make sure you never walk again", "your days are numbered", "I'll rip your head off",
                      "I'll get my boys on you", "you better sleep with one eye open", "I'll see you on the out",
                      "you're getting done in", "I'll have your family", "I'll do your kneecaps",
                      "you'll end up in a box", "I'll mash you up", "I'll cave your head in", "I'll bottle you",
                      "you're a marked man", "I'll splash you", "you'll get shanked", "I'll come round and sort you",
                      "wait till I get out", "I'll make you disappear", "you won't be walking away next time"],
    "threat_verb": ["threatened to kill", "threatened to stab", "threatened to hurt", "threatened", "made threats to kill",
                    "made threats towards", "said he would kill", "said he was going to stab", "said he'd batter",
                    "told {victim} he would hurt", "vowed to get", "promised to \"sort out\"",
                    "said he would \"do\"", "warned he would come after", "said he'd \"wet up\"",
                    "said he was going to \"deal with\"", "talked about getting revenge on",
                    "said he wanted to \"teach a lesson\" to", "said he would put a bounty on",
                    "intimidated", "tried to intimidate", "made a throat-slitting gesture to",
                    "menaced", "put in fear of violence", "squared up to", "said he would \"get\""],
    # --- drugs ---
    "charge_more": ["section 18", "s47 assault", "wounding", "attempted GBH", "grievous bodily harm",
                    "actual bodily harm", "assault by beating", "battery", "kidnap", "false imprisonment",
                    "causing death by dangerous driving after a fight", "strangulation", "non-fatal strangulation"],
    "drug": ["heroin", "crack", "cocaine", "coke", "spice", "mamba", "cannabis", "weed", "skunk", "MDMA", "ket",
             "ketamine", "benzos", "street Valium", "bush", "brown", "white", "pills", "subbies", "subutex",
             "pregabalin", "pregab", "gear", "charlie", "ching", "NPS", "hooch", "buscopan", "methadone on top"],
}

# --- positive events per indicator (style-neutral) ---------------------------------------------------------------
EVENTS: dict[str, list[str]] = {
    "weapons": [
        "{He} was found in possession of [[weapons|a {knife}]]",
        "A [[weapons|{knife}]] was recovered from his bag",
        "{He} pulled out [[weapons|{gun_slang}]] and pointed it at {victim}",
        "{He} was seen with [[weapons|{object}]] in his hand",
        "Intel suggests {he} is carrying [[weapons|{gun_slang}]]",
        "[[weapons|{improvised}]] was found hidden in his cell",
        "Officers found [[weapons|{improvised}]] in his mattress",
        "{He} keeps [[weapons|a {knife}]] under his bed",
        "{He} has been storing [[weapons|{gun_slang}]] for a local OCG",
        "{He} is believed to be holding [[weapons|a {knife}]] for others",
        "{He} brandished [[weapons|a {knife}]] during the argument",
        "{He} was waving [[weapons|a {knife}]] about in the street",
        "a [[weapons|{knife}]] was seized from the car he was driving",
        "{He} admitted he carries [[weapons|a {knife}]] most days",
        "{He} posted a photo of himself holding [[weapons|{gun_slang}]]",
        "[[weapons|ammunition]] was found at his address",
    ],
    "weapon_use": [
        "{He} [[violence|hit]] {victim} with [[weapons|{object}]]",
        "{He} [[violence|struck]] {victim} over the head with [[weapons|{object}]]",
        "{He} [[violence|attacked]] {victim} using [[weapons|{object}]]",
        "{He} [[violence|went for]] {victim} with [[weapons|{object}]]",
        "{He} [[violence|smashed]] [[weapons|{object}]] over {victim}'s head",
        "{He} [[violence|swung]] [[weapons|{object}]] at {victim}",
        "{He} [[violence|threw]] [[weapons|{object}]] at {victim}",
        "{He} [[violence+weapons|stabbed]] {victim} in the leg",
        "{victim} was [[violence+weapons|stabbed]] by {he} outside {place}",
        "{He} [[violence+weapons|slashed]] {victim} across the face",
        "{He} [[violence|lashed out]] at {victim} with [[weapons|{object}]]",
        "{He} [[violence|whacked]] {victim} with [[weapons|{object}]]",
        "{He} used [[weapons|{object}]] to [[violence|beat]] {victim}",
        "{He} [[violence+weapons|glassed]] {victim} in {place}",
        "{victim} was [[violence|hit]] with [[weapons|{object}]] and {injury}",
        "{He} [[violence|attacked]] {victim} with [[weapons|{improvised}]]",
        "{He} [[violence|wet up]] {victim} with [[weapons|a {knife}]]",
        "{He} [[violence+weapons|shanked]] {victim} on the landing",
        "{He} [[violence|threw]] [[weapons|boiling water and sugar]] over {victim}",
    ],
    "threats": [
        "{He} [[threats|{threat_verb}]] {victim}",
        "{He} [[threats|{threat_verb}]] [[domestic_abuse|{his_partner}]]",
        "{He} told {victim} \"[[threats|{threat_speech}]]\"",
        "{He} shouted \"[[threats|{threat_speech}]]\" at {victim}",
        "{He} sent {victim} a message saying \"[[threats|{threat_speech}]]\"",
        "{victim} reports {he} said \"[[threats|{threat_speech}]]\"",
        "{He} was heard on the phone saying \"[[threats|{threat_speech}]]\"",
        "In a letter {he} wrote \"[[threats|{threat_speech}]]\"",
        "{He} told staff he was going to \"[[threats|do]]\" {victim} when he gets out",
        "{He} said he would [[threats|get someone to sort {victim} out]]",
        "{He} told officers he would [[threats|kill {victim}]] if he saw him again",
        "{He} said {victim} [[threats|would get what's coming]] once he is released",
        "{He} [[threats|put {victim} in fear]] by standing over him with his fists clenched",
        "{victim} says she is [[threats|scared of what he will do]] after he said she would regret it",
        "{He} is reported to have put [[threats|a price on {victim}'s head]]",
        "{He} made [[threats|threatening comments]] towards staff",
        "{He} said he has \"[[threats|people on the out]]\" who will deal with {victim}",
        "{He} [[threats|threatened {victim} with a {knife}]]",
        "{He} said he would [[threats|\"bang out\"]] anyone who grassed",
        "{He} was [[threats|abusive and threatening]] to {victim}",
        "{He} told {victim} [[threats|he would have her house burnt out]]",
        "{He} made [[threats|veiled threats]] about what might happen to {victim}",
    ],
    "violence": [
        "{He} [[violence|{harm_past}]] {victim}",
        "{He} [[violence|{harm_past}]] {victim} outside {place}",
        "{He} [[violence|{harm_past}]] {victim} causing {injury}",
        "{He} was arrested for [[violence|{charge}]]",
        "{He} is charged with [[violence|{charge}]] on {victim}",
        "{victim} [[violence|{injury}]] after {he} attacked him",
        "{He} got into a [[violence|fight]] at {place} and {victim} [[violence|{injury}]]",
        "{He} and another prisoner were involved in a [[violence|fight]] on {place}",
        "{He} was [[violence|fighting]] with {victim} in {place}",
        "{He} has a history of [[violence|{charge}]]",
        "{He} was convicted of [[violence|{charge}]]",
        "{He} [[violence|kept {harm_ing} {victim}]] until he was pulled off",
        "{He} was restrained after [[violence|{harm_ing} {victim}]]",
        "{victim} was left with [[violence|facial injuries]] after the attack by {he}",
        "{He} [[violence|had {victim} by the throat]]",
        "{He} [[violence|put {victim} in a headlock]]",
        "{He} [[violence|dragged {victim} by her hair]]",
        "{He} [[violence|knocked {victim} unconscious]]",
        "There was a [[violence|mass brawl]] involving {he}",
        "{He} [[violence|robbed]] {victim} at knifepoint",
        "{He} [[violence|set fire to]] a flat with {victim} inside",
        "{victim} was [[violence|{harm_past}]] by {he}",
        "{fname} says {he} [[violence|{harm_past}]] {victim}",
        "Witnesses say {he} [[violence|{harm_past}]] {victim} for no reason",
        "{He} admitted he [[violence|{harm_past}]] {victim}",
        "{He} was charged with [[violence|{charge_more}]]",
        "{He} is on remand for [[violence|{charge_more}]]",
        "CCTV shows {he} [[violence|{harm_ing} {victim}]]",
    ],
    "callousness": [
        "{He} [[callousness|laughed]] when {victim}'s injuries were described",
        "{He} [[callousness|was laughing and joking]] after the assault",
        "{He} [[callousness|boasted about]] the attack on social media",
        "{He} [[callousness|shrugged]] and said it was \"nothing\"",
        "{He} [[callousness|showed no remorse]]",
        "{He} [[callousness|shows no empathy]] for {victim}",
        "{He} [[callousness|was bragging]] on the wing about what he did",
        "{He} [[callousness|smirked]] throughout the victim statement",
        "{He} [[callousness|minimised]] the assault, calling it \"a tap\"",
        "{He} [[callousness|blames the victim]] for what happened",
        "{He} [[callousness|said it was her own fault]]",
        "{He} [[callousness|couldn't care less]] about how {victim} is",
        "{He} [[callousness|described the victim as a grass]] who \"had it coming\"",
        "{He} [[callousness|showed no concern]] for the injuries he caused",
        "{He} [[callousness|filmed the assault]] and shared it",
        "{He} said \"[[callousness|so what, he's still breathing]]\"",
        "{He} [[callousness|was unmoved]] when told of the injuries",
        "{He} [[callousness|seemed to enjoy]] talking about the violence",
        "{He} [[callousness|made light of]] the offence",
        "{He} [[callousness|expressed no regret]]",
    ],
    "pro_violence_attitudes": [
        "{He} said [[pro_violence_attitudes|{victim} deserved it]]",
        "{He} said [[pro_violence_attitudes|\"she was asking for it\"]]",
        "{He} said [[pro_violence_attitudes|\"he had it coming\"]]",
        "{He} told me [[pro_violence_attitudes|\"she got what she deserved\"]]",
        "{He} feels [[pro_violence_attitudes|violence is the only way to get respect]]",
        "{He} believes [[pro_violence_attitudes|it is fine to hit a woman who disrespects you]]",
        "{He} carries [[weapons|a {knife}]] [[pro_violence_attitudes|for protection]]",
        "{He} said [[pro_violence_attitudes|\"if someone disrespects you, you batter them\"]]",
        "{He} said [[pro_violence_attitudes|\"sometimes you have to hurt people\"]]",
        "{He} stated [[pro_violence_attitudes|that grasses deserve to get stabbed]]",
        "{He} maintains [[pro_violence_attitudes|he was right to hit him]]",
        "{He} said [[pro_violence_attitudes|he would do it again]]",
        "{He} said [[pro_violence_attitudes|that's just how you deal with things where he's from]]",
        "{He} thinks [[pro_violence_attitudes|a slap keeps her in line]]",
        "{He} told the group [[pro_violence_attitudes|\"a good hiding never hurt anyone\"]]",
        "{He} said [[pro_violence_attitudes|\"they should have been battered harder\"]]",
    ],
    "domestic_abuse": [
        "Police attended a [[domestic_abuse|domestic]] at the address",
        "{He} [[violence|{harm_past}]] [[domestic_abuse|{his_partner}]]",
        "{He} [[violence|{harm_past}]] [[domestic_abuse|{his_partner}]] in front of the children",
        "{He} [[threats|{threat_verb}]] [[domestic_abuse|{his_partner}]]",
        "[[domestic_abuse|{his_partner}]] disclosed that {he} [[violence|{harm_past}]] her",
        "[[domestic_abuse|DASH]] completed, graded high risk",
        "Case heard at [[domestic_abuse|MARAC]] on {date}",
        "Referred to [[domestic_abuse|MARAC]] following the latest incident",
        "[[domestic_abuse|IDVA]] is supporting {fname}",
        "{He} was arrested for [[domestic_abuse|controlling and coercive behaviour]]",
        "{He} is being investigated for [[domestic_abuse|coercive control]]",
        "{He} [[domestic_abuse|checks her phone]] and [[domestic_abuse|controls her money]]",
        "{He} [[domestic_abuse|won't let {fname} see her friends]]",
        "{He} [[domestic_abuse|tracks {fname}'s location]] through an app",
        "{fname} says she is [[domestic_abuse|frightened of him]]",
        "[[domestic_abuse|{his_partner}]] has [[domestic_abuse|fled to a refuge]]",
        "There is a history of [[domestic_abuse|DA]] in his relationships",
        "{He} has previous for [[domestic_abuse|domestic violence]] against two former partners",
        "{He} [[domestic_abuse|took {fname}'s bank card]] and [[domestic_abuse|told her what to wear]]",
        "[[domestic_abuse|{his_partner}]] had [[violence|bruises on her arms]]",
        "[[domestic_abuse|Clare's Law]] disclosure made to {his_partner}",
        "Police called to a [[domestic_abuse|verbal domestic]], {fname} said he [[violence|pushed]] her",
        "{He} [[domestic_abuse|isolated {fname} from her family]]",
        "{He} [[violence|{harm_past}]] [[domestic_abuse|{family}]] during an argument",
    ],
    "stalking": [
        "{He} [[stalking|followed {victim} home]]",
        "{He} [[stalking|followed a woman he did not know home]] from the station",
        "{He} [[stalking|has been waiting outside {his_partner}'s work]]",
        "{He} was [[stalking|seen sitting in his car outside]] {fname}'s house",
        "{He} keeps [[stalking|turning up at {fname}'s address]]",
        "{He} [[stalking|has been contacting {fname} through her friends]]",
        "{He} [[stalking|set up new accounts to message]] {fname} after she blocked him",
        "{He} [[stalking|sent over 100 messages]] to {fname} in a week",
        "{He} [[stalking|keeps ringing {fname} from withheld numbers]]",
        "{He} [[stalking|has been harassing]] {victim}",
        "{He} is [[stalking|fixated on]] a female member of staff",
        "{He} [[stalking|has been watching {fname}'s house]] at night",
        "{He} [[stalking|left flowers on her doorstep]] after being told to stay away",
        "{He} [[stalking|tracked down {fname}'s new address]]",
        "{He} [[stalking|asked mutual friends where {fname} is living]]",
        "{He} [[stalking|put a tracker on {fname}'s car]]",
        "{He} [[stalking|was loitering near {fname}'s workplace]]",
        "{He} [[stalking|keeps driving past her house]]",
        "{He} [[stalking|messages her on every platform]] even though she has asked him to stop",
        "{He} [[stalking|sent letters to {fname} via other prisoners]]",
        "{He} [[stalking|turned up at the school gates]] to see {fname}",
        "{He} [[stalking|won't leave {fname} alone]]",
    ],
    "order_breach": [
        "{He} [[order_breach|breached his restraining order]]",
        "{He} was arrested for [[order_breach|breach of a non-molestation order]]",
        "{He} [[order_breach|contacted {fname} despite a restraining order]]",
        "{He} [[order_breach|went to {fname}'s address despite the non-molestation order]]",
        "{He} [[order_breach|entered the exclusion zone]] named in the order on three occasions",
        "[[order_breach|GPS data shows him inside the exclusion zone]] around {fname}'s home",
        "{He} [[order_breach|messaged {fname} in breach of the NMO]]",
        "{He} [[order_breach|has not complied with his SHPO]] and had an unregistered phone",
        "{He} [[order_breach|failed to notify police of a new address]] as a registered sex offender",
        "{He} [[order_breach|was found with a device not declared under his SHPO]]",
        "{He} [[order_breach|contacted the victim, which the restraining order prohibits]]",
        "{He} [[order_breach|sent a letter to {fname} while a restraining order was in force]]",
        "{He} [[order_breach|went within 100 metres of her house, contrary to the order]]",
        "{He} was charged with [[order_breach|breaching a stalking protection order]]",
        "{He} [[order_breach|contacted {fname} through Facebook, which the NMO forbids]]",
        "{He} [[order_breach|breached the DAPO]] by going to the house",
        "{He} [[order_breach|failed to comply with the notification requirements]]",
    ],
    "child_safeguarding": [
        "[[child_safeguarding|{child}]] [[child_safeguarding|was present during the incident]]",
        "[[child_safeguarding|{child} witnessed]] the assault",
        "[[child_safeguarding|{child} was in the room]] when he hit her",
        "School reported [[child_safeguarding|{child} came in with bruising]]",
        "School noticed [[child_safeguarding|a mark on {child}'s face]]",
        "[[child_safeguarding|{child}]] is subject to a [[child_safeguarding|child protection plan]]",
        "[[child_safeguarding|Section 47 enquiries]] are under way",
        "A [[child_safeguarding|strategy meeting]] was held on {date}",
        "[[child_safeguarding|Initial child protection conference]] set for {date}",
        "The local authority have started [[child_safeguarding|care proceedings]]",
        "[[child_safeguarding|{child} was hiding under the bed]] when police arrived",
        "[[child_safeguarding|{child} told a teacher]] that dad hurts mummy",
        "[[child_safeguarding|{child} has been left alone]] for hours",
        "[[child_safeguarding|{child} was found unkempt and hungry]]",
        "He [[child_safeguarding|shook the baby]]",
        "[[child_safeguarding|{child} is on the CP register]] under neglect",
        "[[child_safeguarding|{child} disclosed]] being hit with a belt",
        "A [[child_safeguarding|safeguarding referral]] was made for {child}",
        "[[child_safeguarding|{child} was asleep upstairs]] during the assault",
        "He was [[child_safeguarding|drunk while caring for {child}]]",
        "He has [[child_safeguarding|unsupervised contact with {child}]] despite the concerns",
    ],
    "sexual_harm": [
        "{He} [[sexual_harm|sent sexual messages]] to a 13 year old girl",
        "{He} [[sexual_harm|asked a child for images]] on Snapchat",
        "{He} [[sexual_harm|was grooming]] a 14 year old online",
        "{He} [[sexual_harm|sent explicit photos]] to {fname} without her consent",
        "{He} was convicted of [[sexual_harm|rape]]",
        "{He} [[sexual_harm|sexually assaulted]] a woman in {place}",
        "{He} [[sexual_harm|touched a female member of staff inappropriately]]",
        "{He} [[sexual_harm|exposed himself]] to a woman at the bus stop",
        "Devices seized held [[sexual_harm|indecent images of children]]",
        "{He} was found with [[sexual_harm|IIOC]] on his phone",
        "{He} [[sexual_harm|made sexual comments]] to a female officer",
        "{He} [[sexual_harm|pressured {fname} into sex]] after she said no",
        "{He} [[sexual_harm|shared intimate images]] of {fname} online",
        "{He} [[sexual_harm|was messaging young girls]] and offering them vapes",
        "{He} [[sexual_harm|was befriending children]] at the skate park",
        "{He} [[sexual_harm|upskirted]] a woman on the train",
        "{He} [[sexual_harm|has been sexting]] a 15 year old",
        "{He} [[sexual_harm|masturbated]] in front of staff",
        "{He} [[sexual_harm|forced {fname} to have sex]]",
    ],
    "substance_misuse": [
        "{He} [[substance_misuse|tested positive for {drug}]]",
        "{He} [[substance_misuse|is using {drug}]] again",
        "{He} [[substance_misuse|admitted smoking {drug}]] at the weekend",
        "{He} was [[substance_misuse|under the influence]] when police arrived",
        "{He} appeared [[substance_misuse|intoxicated]]",
        "{He} was [[substance_misuse|steaming drunk]]",
        "{He} [[substance_misuse|was off his face]]",
        "{He} [[substance_misuse|is dealing {drug}]] on the estate",
        "{He} owes [[substance_misuse|a drug debt]]",
        "{He} [[substance_misuse|has relapsed]] on {drug}",
        "[[substance_misuse|{drug}]] found in his room",
        "{He} [[substance_misuse|smelled of alcohol]]",
        "{He} [[substance_misuse|has been drinking heavily]]",
        "{He} [[substance_misuse|was on a bender]] all weekend",
        "{He} [[substance_misuse|gave a positive MDT]]",
        "{He} [[substance_misuse|is injecting]] again",
        "{He} [[substance_misuse|was found spiced up]] in his cell",
        "{He} [[substance_misuse|is drinking 3 litres of cider a day]]",
        "{He} [[substance_misuse|was selling his script]]",
        "{He} [[substance_misuse|has been using on top of his methadone]]",
    ],
    "disengagement": [
        "{He} [[disengagement|failed to attend]] his appointment",
        "{He} [[disengagement|DNA'd]] again",
        "{He} [[disengagement|did not attend]] today",
        "{He} [[disengagement|has missed 3 appointments]] in a row",
        "{He} [[disengagement|has not been seen since {date}]]",
        "{He} [[disengagement|is not answering his phone]]",
        "{He} [[disengagement|refused to engage]] with the session",
        "{He} [[disengagement|walked out]] of the appointment",
        "[[disengagement|Whereabouts unknown]]",
        "{He} [[disengagement|has gone missing]]",
        "{He} [[disengagement|was a no-show]]",
        "{He} [[disengagement|has stopped coming]] to groups",
        "{He} [[disengagement|has been discharged for non-attendance]]",
        "{He} [[disengagement|says he doesn't see the point of probation]] and won't come in",
        "[[disengagement|No contact]] from him for two weeks",
        "{He} [[disengagement|absconded]] from the hostel",
        "{He} [[disengagement|failed to report]] as instructed",
    ],
    "accommodation_loss": [
        "{He} [[accommodation_loss|has been evicted]]",
        "{He} is [[accommodation_loss|sofa surfing]] at friends'",
        "{He} is [[accommodation_loss|sleeping rough]]",
        "{He} is [[accommodation_loss|NFA]]",
        "{He} [[accommodation_loss|was kicked out]] by his mum",
        "{He} [[accommodation_loss|has been served a section 21 notice]]",
        "{He} [[accommodation_loss|lost his hostel bed]] after the incident",
        "{He} [[accommodation_loss|has nowhere to stay]] tonight",
        "{He} [[accommodation_loss|is sleeping in his car]]",
        "{He} [[accommodation_loss|was asked to leave]] the property",
        "{He} [[accommodation_loss|is homeless]]",
        "{He} [[accommodation_loss|has been given notice to quit]]",
        "The landlord [[accommodation_loss|has changed the locks]]",
        "{He} [[accommodation_loss|is dossing at a mate's]]",
        "{He} [[accommodation_loss|is in a tent]] by the canal",
    ],
    "mental_health": [
        "{He} [[mental_health|is hearing voices]]",
        "{He} [[mental_health|appeared paranoid]]",
        "{He} [[mental_health|is very low]] and [[mental_health|not sleeping]]",
        "{He} [[mental_health|said he wants to end it all]]",
        "{He} [[mental_health|has been self-harming]]",
        "{He} [[mental_health|cut his arms]]",
        "{He} [[mental_health|took an overdose]]",
        "{He} [[mental_health|has stopped taking his meds]]",
        "{He} [[mental_health|is talking about suicide]]",
        "{He} [[mental_health|was sectioned]] on {date}",
        "{He} [[mental_health|was placed on an ACCT]]",
        "{He} [[mental_health|is showing signs of psychosis]]",
        "{He} [[mental_health|presented as manic]]",
        "{He} [[mental_health|was tearful and agitated]]",
        "Crisis team [[mental_health|assessed him]] after he [[mental_health|tied a ligature]]",
        "{He} [[mental_health|believes people are following him]]",
        "{He} [[mental_health|said he feels like he is losing his mind]]",
        "{He} [[mental_health|threatened to take his own life]]",
        "{He} [[mental_health|was found with a ligature]]",
        "{He} [[mental_health|has been having dark thoughts]]",
        "His [[mental_health|mental health has got worse]]",
        "{He} [[mental_health|was responding to unseen stimuli]]",
    ],
}

# --- hard negatives ------------------------------------------------------------------------------------------------
NEGATIVES: list[str] = [
    # negation
    "Cell search completed, no weapons or contraband found",
    "{He} denies carrying a {knife}",
    "{He} denied making any threats",
    "There is no evidence that {he} has been violent",
    "No concerns about violence were raised",
    "{He} has never been violent towards {his_partner}",
    "No injuries were seen on {fname}",
    "There is nothing to suggest he has contacted {fname}",
    "No drugs were found in the search",
    "MDT negative",
    "{He} tested negative for all substances",
    "No children live at the address",
    "The allegation of assault was unsubstantiated",
    "{He} was found not guilty of {charge}",
    "The {charge} charge was dropped",
    "No further incidents reported",
    "No threats have been made since release",
    "{He} did not threaten anyone",
    "No signs of intoxication",
    "{He} was not under the influence",
    "{He} has not missed any appointments",
    "{He} has attended every appointment",
    "No self-harm concerns",
    "No concerns re mental health",
    "Police confirmed there were no call-outs to the address",
    "{He} has not used {drug} for six months",
    "{He} remains abstinent",
    "No contact with {fname} reported",
    # hypothesis / planning
    "If he were to drink again the risk of violence would increase",
    "Should he resume contact with {fname}, the risk to her would rise",
    "Risk of harm would increase if he were to lose his accommodation",
    "Work to reduce the risk of violence is planned",
    "{He} was warned that any contact with {fname} would be a breach",
    "Consequences of breaching the order were explained",
    "Safety planning discussed in case he turns up at her address",
    "He was advised to avoid {place} in case of conflict",
    "{He} was reminded that carrying a {knife} is an offence",
    "Sessions will explore what leads him to violence",
    # him as the victim
    "{He} was assaulted by another prisoner",
    "{He} was punched by {stranger} and needed stitches",
    "{He} was stabbed in 2019 and still has nightmares about it",
    "{He} reports being threatened by dealers over a debt",
    "{He} says he was bullied by his father as a child",
    "{He} was the victim of a robbery last week",
    "{He} was attacked on the wing and is now on the VP unit",
    "{He} is frightened because people are after him",
    "{He} was jumped by three lads in {place}",
    "Staff are concerned {he} is being targeted by other residents",
    # orders made but not breached
    "A restraining order was made for five years",
    "The court imposed a non-molestation order",
    "{He} is subject to a SHPO until 2031",
    "A stalking protection order was granted on {date}",
    "{He} has complied with his restraining order",
    "The restraining order expires in March",
    "Conditions of the NMO were explained to him",
    "Exclusion zone added to licence",
    "GPS tag fitted today, no issues",
    "{He} is aware of the restraining order and says he will keep away",
    # licence breaches that are not civil-order breaches
    "{He} was recalled for breaching his curfew",
    "{He} breached his licence by failing to reside at the approved address",
    "Recalled to custody for failing to keep in touch",
    "Warning letter issued for breach of licence conditions",
    "{He} broke his curfew by returning at 1am",
    "Breach action taken for missed unpaid work",
    # property damage
    "{He} punched a wall in frustration",
    "{He} smashed his TV during an argument",
    "{He} kicked the door of his room",
    "Criminal damage to a car window",
    "{He} threw his phone across the room",
    "{He} damaged the hostel fire door",
    # threats to himself
    "{He} [[mental_health|threatened to kill himself]]",
    "{He} said he would [[mental_health|end his life]]",
    "{He} [[mental_health|threatened to harm himself]] if recalled",
    # admin / professional
    "Domestic abuse enquiries were not completed",
    "DA checks requested from police, awaiting response",
    "Safeguarding checks returned no information",
    "Child safeguarding enquiries: no trace",
    "MARAC referral not required",
    "Completed the Building Better Relationships programme",
    "Attended the Thinking Skills group",
    "Victim awareness work started",
    "Violence risk assessment to be completed",
    "Risk of serious harm assessment updated",
    "OASys review due next month",
    "Discussed the weapons amnesty leaflet with the group",
    "Report prepared for the Parole Board",
    "Weapons: None known",
    "Threats: None known",
    "Substance misuse: None known",
    "Domestic abuse: none known",
    "Child concerns: N/A",
    # ordinary life
    "{He} is working at a warehouse and enjoys it",
    "{He} has reconnected with his {family}",
    "{He} talked about his football team",
    "{He} is attending college to do plumbing",
    "{He} has a new girlfriend and seems settled",
    "{He} has been cooking with a kitchen knife as part of his independent living skills",
    "{He} collected his prescription from the pharmacy",
    "{He} was polite and engaged well",
    "{He} attended on time and was open in discussion",
    "{He} has been playing pool with other residents",
    "{He} watched a boxing match on TV",
    "{He} is doing a butchery course",
    "{He} goes to the gym to manage stress",
    "{He} plays Call of Duty most evenings",
    "The children are thriving at school",
    "{He} took his daughter to the park",
    "{He} was late because of the bus",
    "{He} is moving to a new flat next month",
    "{He} has been sleeping better",
    "{He} says he feels positive about the future",
    "Mood bright and reactive",
    "{He} drinks occasionally at weekends, within safe limits",
    "{He} is on a methadone script and stable",
    "The kitchen knives in the hostel are kept locked",
    "The film he watched was about a stabbing",
    "{He} was a witness to a fight but not involved",
    "{He} reported a fight between two other residents to staff",
    "{He} intervened to break up a fight",
    "{He} said he is scared he will be attacked",
    "{fname} says {he} has been supportive",
    "{He} spoke warmly about his partner",
    "{He} disclosed his own experience of domestic abuse as a child",
]

# --- styles: frames and style-only templates ---------------------------------------------------------------------
FRAMES: dict[str, list[str]] = {
    "police": ["{date} {time} {x}", "{time} call from neighbour - {x}", "Ofc attended. {x}", "CAD {num}: {x}",
               "Log {num} - {x}", "{x}", "Intel: {x}", "Police called by {fname}. {x}", "999 call. {x}",
               "Crime ref {num}. {x}"],
    "prison_intelligence": ["IR {num}: {x}", "SIR {num} - {x}", "Intelligence received that {xl}",
                            "Security: {x}", "Wing obs {date}: {x}", "{x} (source graded B2)",
                            "Adjudication {num}: {x}", "Intel log {date} - {x}", "{x}", "Mercury entry: {x}"],
    "childrens_services": ["CSC reply: {x}", "Social worker reports {xl}", "Children's services advise {xl}",
                           "{x}", "MASH {date}: {x}", "Update from SW {fname}: {x}", "School DSL says {xl}",
                           "Health visitor reports {xl}"],
    "court": ["Court result {date}: {x}", "{x}", "Magistrates {date} - {x}", "Crown Court: {x}",
              "Outcome: {x}", "Sentencing remarks note {xl}", "Result received - {x}"],
    "victim_liaison": ["VLO update: {x}", "Victim liaison officer reports {xl}", "{x}", "Victim contact {date}: {x}",
                       "VCS: {x}", "The victim told the VLO {xl}", "VLO {fname} advises {xl}"],
    "contact_notes": ["{x}", "Home visit. {x}", "Office appt. {x}", "Phone call - {x}", "{date} supervision: {x}",
                      "Seen today. {x}", "Discussed: {x}", "PO note - {x}", "Induction. {x}"],
    "approved_premises": ["AP log {date} {time}: {x}", "Night staff: {x}", "Keyworker session - {x}", "{x}",
                          "Hostel incident log - {x}", "Room search {date}. {x}", "Handover: {x}",
                          "AP manager reports {xl}"],
    "drug_services": ["Drug worker reports {xl}", "Key work session: {x}", "{x}", "CGL update - {x}",
                      "Treatment review {date}: {x}", "Script review - {x}", "Recovery worker: {x}"],
    "mental_health": ["CMHT update: {x}", "MH team note - {x}", "{x}", "Care coordinator reports {xl}",
                      "MH nurse {date}: {x}", "Liaison & diversion: {x}", "Psychiatrist review - {x}"],
}

STYLE_EVENTS: dict[str, list[str]] = {
    "police": [
        "[[domestic_abuse|DA]] call out, [[domestic_abuse|{his_partner}]] states he [[violence|{harm_past}]] her",
        "[[domestic_abuse|Domestic]] - IP {fname} has [[violence|swelling to her eye]]; suspect left prior to arrival",
        "Male [[weapons|armed with {object}]] reported in {place}",
        "Neighbour heard screaming and [[violence|banging]]; [[domestic_abuse|{his_partner}]] had [[violence|a cut lip]]",
        "Suspect [[violence|assaulted]] IP and [[threats|threatened to come back with {gun_slang}]]",
        "[[child_safeguarding|2 children in the house]] at the time of the [[domestic_abuse|domestic]]",
        "[[substance_misuse|Male heavily intox]] and [[violence|aggressive]], arrested for [[violence|assault on an emergency worker]]",
        "[[stalking|Repeat calls re [[domestic_abuse|ex partner]] sitting outside]] her flat",
        "[[order_breach|Arrested for breach NMO]], was found at {fname}'s address",
        "[[domestic_abuse|DASH]] high; [[domestic_abuse|MARAC]] referral submitted",
    ],
    "prison_intelligence": [
        "{He} is [[weapons|holding a shank]] behind the sink",
        "{He} has been [[substance_misuse|bringing spice in]] through visits",
        "{He} [[threats|told another prisoner he would \"do him\" on exercise]]",
        "{He} is [[substance_misuse|running a drug debt]] on the landing",
        "{He} was involved in a [[violence|serious assault]] using [[weapons|a tray]] in the servery",
        "{He} is [[stalking|writing to {fname} via a third party]] despite [[order_breach|the no-contact order]]",
        "{He} [[violence|assaulted]] a PO, who needed hospital treatment",
        "Phone monitoring: {he} [[threats|told {fname} she would \"pay\" when he's out]]",
        "{He} [[callousness|was bragging to others about the stabbing]]",
        "{He} has [[weapons|access to a blade]] and is planning [[violence|an attack]]",
    ],
    "childrens_services": [
        "[[child_safeguarding|{child} disclosed]] that dad [[violence|hit]] mum",
        "[[child_safeguarding|Child protection conference]] decided a plan under emotional abuse",
        "[[child_safeguarding|{child} has unexplained bruises]] on her back",
        "Mother reports [[domestic_abuse|{he} was violent]] while [[child_safeguarding|the children were present]]",
        "[[child_safeguarding|{child} is scared of him]]",
        "[[child_safeguarding|PLO]] process has started",
        "[[child_safeguarding|Child in need]] plan in place",
        "[[child_safeguarding|{child} was missing from school]] with a burn on his hand",
        "Teacher noticed [[child_safeguarding|{child} flinching]] when an adult raised their voice",
    ],
    "court": [
        "Convicted of [[violence|{charge}]], sentenced to 4 years",
        "Pleaded guilty to [[weapons|possession of a bladed article]]",
        "Guilty of [[threats|making threats to kill]]",
        "Convicted of [[order_breach|breach of restraining order]]",
        "Guilty of [[stalking|stalking involving fear of violence]]",
        "Convicted [[domestic_abuse|controlling and coercive behaviour]]",
        "Remanded for [[violence|wounding with intent]] and [[weapons|possession of an offensive weapon]]",
        "Guilty plea to [[sexual_harm|sexual communication with a child]]",
        "Convicted of [[violence|murder]], life sentence with a minimum term of 18 years",
        "Guilty - [[violence|manslaughter]]",
        "Sentenced for [[substance_misuse|possession with intent to supply class A]]",
    ],
    "victim_liaison": [
        "{fname} is [[threats|terrified he will come after her]] when he is released",
        "The victim says [[stalking|he keeps finding her new number]]",
        "The victim reported that [[stalking|his friends have been asking where she lives]]",
        "{fname} has received [[stalking|letters from him via his mum]]",
        "The victim asked for an exclusion zone because [[stalking|he used to wait outside her work]]",
        "The victim's family say [[threats|his associates have been making threats]]",
        "{fname} said he [[domestic_abuse|controlled every part of her life]]",
        "The victim believes [[order_breach|he has been messaging her despite the restraining order]]",
    ],
    "contact_notes": [
        "{He} said about the victim, [[pro_violence_attitudes|\"she knew what would happen\"]]",
        "Discussed offence - [[callousness|he laughed]] and said [[pro_violence_attitudes|\"he had it coming\"]]",
        "{He} admitted [[substance_misuse|using crack]] last week",
        "{He} disclosed [[mental_health|thoughts of suicide]]",
        "{He} says he has a new partner {fname}. [[domestic_abuse|She]] has [[violence|a black eye]] according to police",
        "{He} [[disengagement|failed to attend]], [[disengagement|no reason given]]",
        "{He} told me [[accommodation_loss|his mum has kicked him out]]",
        "{He} was [[substance_misuse|stinking of booze]]",
    ],
    "approved_premises": [
        "{He} [[substance_misuse|returned to the AP intoxicated]]",
        "{He} [[violence|assaulted another resident]] in the kitchen",
        "{He} [[threats|threatened night staff]]",
        "{He} [[disengagement|failed to return by curfew]] and is now [[disengagement|missing]]",
        "[[weapons|A knife]] was found in his room during the room search",
        "{He} was [[accommodation_loss|evicted from the AP]]",
        "{He} [[mental_health|was found with a ligature]] at room check",
        "[[substance_misuse|Spice]] paraphernalia found in his room",
    ],
    "drug_services": [
        "{He} [[substance_misuse|is using heroin on top]]",
        "[[substance_misuse|Positive for opiates and cocaine]]",
        "{He} [[substance_misuse|has been buying street benzos]]",
        "{He} [[substance_misuse|overdosed]] at the weekend",
        "{He} [[disengagement|missed his script pick up]] for 3 days",
        "{He} said [[substance_misuse|he owes his dealer]] and is worried",
    ],
    "mental_health": [
        "{He} [[mental_health|is experiencing command hallucinations]]",
        "{He} [[mental_health|stated he has been cutting]]",
        "{He} [[mental_health|is refusing his depot]]",
        "{He} [[mental_health|has plans to hang himself]]",
        "{He} [[mental_health|presents with pressured speech]] and [[mental_health|grandiose ideas]]",
        "{He} said voices tell him to [[threats|hurt]] [[domestic_abuse|{his_partner}]]",
        "{He} [[mental_health|was admitted to the ward]] under section 2",
    ],
}

LABEL = re.compile(r"\[\[([a-z_+]+)\|")
SLOT = re.compile(r"\{([A-Za-z_]+)\}")
ABBREVIATIONS = (
    (" and ", " & "), (" with ", " w/ "), (" because ", " cos "), (" police ", " Police "), (" his ", " his "),
    (" about ", " re "), (" without ", " w/o "), (" reported ", " rptd "), (" appointment", " appt"),
    (" you ", " u "), (" going to ", " gonna "), (" girlfriend", " g/f"), (" approximately ", " approx "),
)


@dataclass(frozen=True)
class Text:
    id: str
    style: str
    template: str
    text: str
    labels: tuple[tuple[str, int, int], ...]

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "style": self.style,
            "source": "synthetic",
            "template": self.template,
            "text": self.text,
            "labels": [
                {"indicator": ind, "start": s, "end": e, "text": self.text[s:e]} for ind, s, e in self.labels
            ],
        }


def _expand(template: str, rng: random.Random) -> str:
    for _ in range(8):
        new = SLOT.sub(lambda m: rng.choice(SLOTS[m[1]]) if m[1] in SLOTS else m[0], template)
        if new == template:
            break
        template = new
    return template


def _segments(marked: str) -> list[tuple[str, tuple[tuple[int, str], ...]]]:
    """Split marked text into (plain text, open labels) segments; each label instance has its own number."""
    segments: list[tuple[str, tuple[tuple[int, str], ...]]] = []
    stack: list[tuple[int, str]] = []
    counter = 0
    i = 0
    buffer = ""
    while i < len(marked):
        m = LABEL.match(marked, i)
        if m:
            segments.append((buffer, tuple(stack)))
            buffer = ""
            counter += 1
            for name in m[1].split("+"):
                stack.append((counter, name))
            i = m.end()
        elif marked.startswith("]]", i) and stack:
            segments.append((buffer, tuple(stack)))
            buffer = ""
            top = stack[-1][0]
            stack = [s for s in stack if s[0] != top]
            i += 2
        else:
            buffer += marked[i]
            i += 1
    segments.append((buffer, tuple(stack)))
    return [s for s in segments if s[0]]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5 or not word.isalpha():
        return word
    k = rng.randrange(1, len(word) - 2)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:k] + word[k + 1] + word[k] + word[k + 2 :]
    if kind == 1:
        return word[:k] + word[k + 1 :]
    return word[:k] + word[k] + word[k:]


def _rough(text: str, rng: random.Random, level: float) -> str:
    if rng.random() < level * 0.5:
        for a, b in ABBREVIATIONS:
            if rng.random() < 0.5:
                text = text.replace(a, b)
    if rng.random() < level * 0.4:
        text = " ".join(_typo(w, rng) if rng.random() < 0.08 else w for w in text.split(" "))
    return text


def compose(template: str, rng: random.Random, level: float) -> tuple[str, list[tuple[str, int, int]]]:
    """Fill a template, rough it up, and return the text with its annotated spans."""
    marked = _expand(template, rng)
    text = ""
    spans: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for piece, open_labels in _segments(marked):
        piece = _rough(piece, rng, level)
        start = len(text)
        text += piece
        for number, name in open_labels:
            names[number] = name
            if number in spans:
                spans[number][1] = len(text)
            else:
                spans[number] = [start, len(text)]
    labels = []
    for number, (s, e) in spans.items():
        while s < e and text[s] in " \"'":
            s += 1
        while e > s and text[e - 1] in " \"',":
            e -= 1
        if s < e:
            labels.append((names[number], s, e))
    return text, labels


def _sentence(style: str, rng: random.Random, negative: bool) -> tuple[str, str]:
    """A template for one sentence (and its name, for splitting by template)."""
    if negative:
        index = rng.randrange(len(NEGATIVES))
        body, name = NEGATIVES[index], f"neg{index}"
    elif rng.random() < 0.3:
        index = rng.randrange(len(STYLE_EVENTS[style]))
        body, name = STYLE_EVENTS[style][index], f"{style}{index}"
    else:
        indicator = rng.choice(sorted(EVENTS))
        index = rng.randrange(len(EVENTS[indicator]))
        body, name = EVENTS[indicator][index], f"{indicator}{index}"
    return body, name


def _frame(style: str, body: str, rng: random.Random) -> str:
    frame = rng.choice(FRAMES[style])
    if "{xl}" in frame:
        # "reports that he ..." : lower-case the sentence's first letter (not inside a label marker)
        m = LABEL.match(body)
        if m:
            body = body[: m.end()] + body[m.end() : m.end() + 1].lower() + body[m.end() + 1 :]
        elif body[:1] == "{" and body[1:2].isupper():
            body = "{" + body[1].lower() + body[2:]
        else:
            body = body[:1].lower() + body[1:]
        return frame.replace("{xl}", body)
    return frame.replace("{x}", body)


def generate(per_style: int = 500, seed: int = 13) -> Iterator[Text]:
    """`per_style` texts for each style: two in three single sentences, the rest short paragraphs of 2-4."""
    rng = random.Random(seed)  # noqa: S311 — reproducible synthetic data, not security
    for style in STYLES:
        for n in range(per_style):
            level = rng.choice((0.0, 0.3, 0.6, 1.0))
            count = 1 if rng.random() < 0.65 else rng.randint(2, 4)
            sentences: list[str] = []
            names: list[str] = []
            all_negative = rng.random() < 0.3
            for k in range(count):
                negative = all_negative or rng.random() < 0.35
                body, name = _sentence(style, rng, negative)
                names.append(name)
                sentences.append(_frame(style, body, rng) if k == 0 else body)
            end = "" if rng.random() < 0.25 else "."
            marked = (end + " ").join(sentences) + end
            if rng.random() < 0.1 * level:
                marked = marked.lower()
                marked = re.sub(r"\[\[([a-z_+]+)\|", r"[[\1|", marked)
            text, labels = compose(marked, rng, level)
            yield Text(f"{style}-{n:04d}", style, "+".join(names), text, tuple(labels))

"""Synthetic record texts in the style of prison intelligence, police call-out logs and partner replies.

Every name, place and event here is invented. {v} is a victim or partner, {a} an associate, {p} a place.
"""

PRISON_INTELLIGENCE = [
    "Improvised blade found concealed in the mattress of his cell during a routine search.",
    "Intelligence suggests he has been threatening other prisoners on the wing over drug debts.",
    "Information received that he intends to 'sort out' {v} on release; he was overheard on the landing.",
    "Sustained assault on another prisoner in the servery using a sock containing batteries.",
    "Spice suspected; found under the influence on the wing and taken to healthcare.",
    "Mobile phone recovered from his cell; calls made to a number linked to {v}.",
    "Positive mandatory drug test for buprenorphine.",
    "Security reports he is associating with a known supplier and holding items for others.",
    "No adjudications this quarter. Working as a wing cleaner and engaging with education.",
    "Letters to {v} intercepted by the offender management unit; content described as controlling.",
]
POLICE = [
    "Police called to {p} following a report of a domestic argument; {v} reported he pushed her against a wall.",
    "Officers attended {p} after neighbours reported shouting and a smashed window. No arrest made.",
    "Arrested on suspicion of assault occasioning actual bodily harm after a fight outside a pub in {p}.",
    "Stopped and searched in {p}; a lock knife was found in his jacket pocket. "
    "Charged with possession of a bladed article.",
    "Domestic abuse call-out: {v} says he has been checking her phone and stopping her seeing friends.",
    "Reported for breaching the restraining order by sending {v} messages through social media.",
    "Intelligence indicates he has been seen repeatedly outside the workplace of {v}.",
    "Attended {p} for a welfare check; no concerns noted and he was cooperative.",
]
CHILDRENS_SERVICES = [
    "Children's services confirm the two children of {v} are subject to child protection plans.",
    "Safeguarding check: no current involvement with the family; last contact 2019.",
    "Social worker reports concerns that he has been staying at the home of {v}, where there is a child under five.",
    "Strategy meeting held; he is not to have unsupervised contact with the children.",
]
PRACTITIONER = [
    "Home visit completed. Address appears stable; he spoke about looking for work at a warehouse.",
    "He arrived late and was agitated, saying {v} had 'brought this on herself'. Discussed in supervision.",
    "He disclosed he has started drinking heavily again since losing his job.",
    "Failed to attend; phone switched off. Letter sent and manager informed.",
    "He says he has been sleeping on a friend's sofa after being evicted from {p}.",
    "Good engagement; completed session 4 of the programme and reflected on the impact of his offending.",
    "He appeared low in mood and spoke about not seeing the point any more; referred to the GP and crisis team.",
]
VICTIM_LIAISON = [
    "Victim liaison officer reports {v} is frightened about his release and has asked for an exclusion zone.",
    "Victim contact scheme: {v} has asked to be told of any change to licence conditions.",
]
COURT = [
    "Restraining order made at {p} Magistrates' Court protecting {v}, for five years.",
    "Pre-sentence report requested; the court noted a pattern of escalating violence.",
]

FORENAMES_M = [
    "James",
    "Daniel",
    "Liam",
    "Connor",
    "Jordan",
    "Ryan",
    "Kyle",
    "Mohammed",
    "Adam",
    "Lewis",
    "Michael",
    "Thomas",
    "Callum",
    "Dean",
    "Scott",
    "Jamal",
    "Tomasz",
    "Craig",
    "Ashley",
    "Nathan",
]
FORENAMES_F = ["Chloe", "Jade", "Lauren", "Amy", "Kerry", "Shannon", "Aisha", "Emma", "Leanne", "Stacey"]
SURNAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Wilson",
    "Evans",
    "Walker",
    "Wright",
    "Roberts",
    "Hall",
    "Green",
    "Hughes",
    "Khan",
    "Clarke",
    "Patel",
    "Turner",
    "Hill",
    "Cooper",
    "Ward",
    "Moore",
    "Kowalski",
    "Okafor",
    "Byrne",
    "Doyle",
    "Ahmed",
    "Lee",
    "Price",
    "Bennett",
    "Murray",
    "Shaw",
]
PLACES = [
    "Cheetham Hill",
    "Harpurhey",
    "Moss Side",
    "Wythenshawe",
    "Eccles",
    "Swinton",
    "Levenshulme",
    "Openshaw",
    "Walkden",
    "Blackley",
]
ETHNICITIES = [
    ("White: British", 70),
    ("White: Irish", 3),
    ("White: Other", 5),
    ("Black: Caribbean", 4),
    ("Black: African", 4),
    ("Asian: Pakistani", 6),
    ("Asian: Indian", 2),
    ("Mixed: White and Black Caribbean", 3),
    ("Other", 1),
    (None, 2),
]
OFFENCES = [
    ("Wounding with intent", "violence"),
    ("Assault occasioning actual bodily harm", "violence"),
    ("Robbery", "robbery"),
    ("Affray", "public_order"),
    ("Burglary (dwelling)", "burglary_domestic"),
    ("Theft from a shop", "theft_non_motor"),
    ("Possession with intent to supply class A", "drug_possession_supply"),
    ("Criminal damage", "criminal_damage"),
    ("Fraud by false representation", "fraud_forgery"),
    ("Driving with excess alcohol", "drink_driving"),
    ("Stalking involving fear of violence", "violence"),
    ("Controlling or coercive behaviour", "violence"),
    ("Sexual assault", "sexual_not_child"),
    ("Handling stolen goods", "handling_stolen_goods"),
    ("Taking a vehicle without consent", "taking_driving_away"),
]

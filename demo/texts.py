"""Wording for the demo casework: complaint summaries, decision summaries and recommendations.

Keyed by category slug and the sub-category's slug suffix ("housing" / "homelessness").
Complainants appear as the ombudsman's decisions name them ("Mrs X"), so no text needs a
pronoun. Unknown categories (added by staff later) fall back to the generic wording.
"""

# sub-category suffix -> (what the complainant says the council did, what the decision looked at)
SUBJECTS: dict[str, dict[str, tuple[tuple[str, ...], str]]] = {
    "adult-care-services": {
        "assessment-and-care-plan": (
            ("delayed in assessing care needs", "failed to meet the needs in the care plan"),
            "assessed care needs and planned the care",
        ),
        "charging": (
            ("charged too much for care", "did not explain the charges for care before they started"),
            "worked out and explained the charges for care",
        ),
        "residential-care": (
            (
                "did not ensure the care home provided proper care",
                "moved a relative to a care home without consultation",
            ),
            "arranged and oversaw residential care",
        ),
        "domiciliary-care": (
            ("arranged home care visits that were often late or missed", "reduced home care without reassessment"),
            "arranged home care",
        ),
        "safeguarding": (
            (
                "did not investigate safeguarding concerns properly",
                "did not share the outcome of a safeguarding enquiry",
            ),
            "responded to safeguarding concerns",
        ),
        "direct-payments": (
            ("stopped direct payments without notice", "set direct payments too low to meet eligible needs"),
            "managed the direct payments",
        ),
        "transition-from-childrens-services": (
            ("did not plan the move from children's to adult services", "left a gap in support at age 18"),
            "planned the move to adult services",
        ),
    },
    "benefits-and-tax": {
        "council-tax": (
            ("took enforcement action over council tax arrears wrongly", "refused a council tax discount"),
            "dealt with the council tax account",
        ),
        "housing-benefit-and-council-tax-reduction": (
            (
                "delayed in deciding a claim for council tax reduction",
                "recovered an overpayment of housing benefit wrongly",
            ),
            "decided the benefit claim",
        ),
        "business-rates": (
            ("refused small business rate relief", "sent enforcement agents over business rates wrongly"),
            "dealt with the business rates account",
        ),
        "discretionary-payments": (
            (
                "refused a discretionary housing payment without proper reasons",
                "delayed in deciding a hardship payment",
            ),
            "considered the application for a discretionary payment",
        ),
    },
    "corporate-and-other-services": {
        "complaint-handling": (
            ("did not respond to a complaint", "delayed at each stage of its complaints procedure"),
            "handled the complaint",
        ),
        "data-protection": (
            ("shared personal information with a third party", "delayed in responding to a subject access request"),
            "handled personal information",
        ),
        "elections-and-electoral-register": (
            ("removed a name from the electoral register in error", "did not send a postal vote in time"),
            "kept the electoral register",
        ),
        "grants": (
            ("refused a business support grant unfairly", "delayed in paying a grant"),
            "considered the grant application",
        ),
        "leisure-and-culture": (
            ("withdrew a leisure concession without notice", "did not deal with problems at a council venue"),
            "ran the leisure service",
        ),
    },
    "education-and-childrens-services": {
        "special-educational-needs": (
            ("delayed in issuing an education, health and care plan", "did not provide the support in an EHC plan"),
            "dealt with the education, health and care plan",
        ),
        "school-admissions": (
            ("did not hold a fair admission appeal", "refused a place at the nearest school"),
            "dealt with the school admission and appeal",
        ),
        "school-transport": (
            ("refused free school transport", "withdrew school transport mid-term"),
            "decided eligibility for school transport",
        ),
        "children-in-care": (
            ("did not support a child in care properly", "delayed in paying a kinship carer's allowance"),
            "supported the child in care",
        ),
        "child-protection": (
            (
                "carried out a child protection investigation unfairly",
                "recorded inaccurate information in a child protection report",
            ),
            "carried out the child protection enquiries",
        ),
        "exclusions": (
            (
                "did not arrange education after a permanent exclusion",
                "did not arrange the independent review panel properly",
            ),
            "dealt with the exclusion",
        ),
        "alternative-provision": (
            (
                "failed to provide suitable education for a child out of school",
                "delayed in arranging alternative provision",
            ),
            "arranged alternative education",
        ),
    },
    "environmental-services-public-protection-and-regulation": {
        "refuse-and-recycling": (
            ("repeatedly missed bin collections", "refused an assisted bin collection"),
            "provided the waste collection service",
        ),
        "noise": (
            ("did not act on complaints about noise from a neighbour", "closed a noise nuisance complaint too early"),
            "investigated the noise complaints",
        ),
        "pest-control": (
            ("did not deal with a rat infestation", "charged for a pest control visit that did not happen"),
            "dealt with the pest control request",
        ),
        "licensing": (
            ("granted a premises licence without considering objections", "suspended a taxi driver's licence unfairly"),
            "decided the licensing matter",
        ),
        "trading-standards": (
            ("did not act on a report of a rogue trader", "did not investigate a complaint about a business properly"),
            "responded to the trading standards complaint",
        ),
        "cemeteries-and-crematoria": (
            ("did not maintain a family grave plot", "changed the rules on memorials without notice"),
            "managed the cemetery",
        ),
    },
    "highways-and-transport": {
        "parking-and-other-penalties": (
            ("issued a penalty charge notice wrongly", "refused a resident's parking permit"),
            "dealt with the penalty charge notice",
        ),
        "highway-repair-and-maintenance": (
            ("did not repair a dangerous pothole", "refused an insurance claim for damage caused by the road surface"),
            "maintained the highway",
        ),
        "street-lighting": (
            ("left a faulty street light unrepaired for months", "installed a street light outside a bedroom window"),
            "dealt with the street lighting",
        ),
        "traffic-management": (
            ("introduced a traffic scheme without proper consultation", "did not consider road safety concerns"),
            "decided the traffic scheme",
        ),
        "concessionary-travel": (
            ("refused a disabled person's bus pass", "delayed in renewing a bus pass"),
            "decided the bus pass application",
        ),
    },
    "housing": {
        "homelessness": (
            ("delayed in deciding a homelessness application", "placed a family in unsuitable temporary accommodation"),
            "dealt with the homelessness application",
        ),
        "allocations": (
            (
                "placed the application in the wrong band on the housing register",
                "did not consider medical evidence for rehousing",
            ),
            "assessed the housing application",
        ),
        "council-housing-repairs": (
            ("did not repair damp and mould in a council home", "delayed in repairing a leaking roof"),
            "dealt with the repairs",
        ),
        "disabled-facilities-grants": (
            ("delayed in processing a disabled facilities grant", "refused adaptations to a home"),
            "dealt with the disabled facilities grant",
        ),
        "private-rented-sector": (
            ("did not act on reports of disrepair in a privately rented home", "did not enforce against a landlord"),
            "responded to the reports about the rented home",
        ),
        "antisocial-behaviour": (
            (
                "did not act on reports of antisocial behaviour",
                "closed an antisocial behaviour case without explanation",
            ),
            "responded to the reports of antisocial behaviour",
        ),
    },
    "planning-and-development": {
        "planning-applications": (
            (
                "granted planning permission for a neighbour's extension without considering the impact",
                "delayed in deciding a planning application",
            ),
            "decided the planning application",
        ),
        "enforcement": (
            (
                "did not take enforcement action against a breach of planning control",
                "closed a planning enforcement case without explanation",
            ),
            "dealt with the planning enforcement complaint",
        ),
        "building-control": (
            ("signed off building work that did not meet the regulations", "did not inspect building work properly"),
            "carried out building control",
        ),
        "trees": (
            ("allowed protected trees to be felled", "refused to deal with a dangerous council tree"),
            "dealt with the trees",
        ),
        "land-charges": (
            ("gave wrong information in a local land charges search", "delayed in returning a land charges search"),
            "carried out the land charges search",
        ),
    },
    "other": {"other": (("did not deal properly with a request for help",), "dealt with the request")},
}
GENERIC_SUBJECT: tuple[tuple[str, ...], str] = (
    ("did not deal properly with a request for help",),
    "dealt with the matter",
)


def subject(category_slug: str, subcategory_suffix: str) -> tuple[tuple[str, ...], str]:
    return SUBJECTS.get(category_slug, {}).get(subcategory_suffix, GENERIC_SUBJECT)


COMPLAINT = "{who} complains the council {what}."

DECISION = {
    "referred_back": (
        "We will not consider this complaint now: the council has not yet had the chance to respond to it. "
        "{who} should first complain to the council.",
        "The complaint was premature. We have referred it back to the council so it can respond first.",
    ),
    "incomplete_invalid": (
        "We cannot consider this complaint because {who} has not given us the information we asked for.",
        "This complaint is outside our jurisdiction because {who} has a right of appeal to a tribunal.",
    ),
    "advice_given": (
        "We gave {who} advice about how the council should consider the complaint and where to get help.",
        "We advised {who} about other routes to resolve the matter.",
    ),
    "closed_after_initial_enquiries": (
        "We will not investigate how the council {topic}: there is not enough evidence of fault to justify it.",
        "We will not investigate further: the council has already offered a suitable response about how it {topic}.",
        "We will not investigate: it is unlikely we could achieve anything more for {who}.",
    ),
    "not_upheld": (
        "We found no fault in how the council {topic}.",
        "The council considered the relevant information and explained its decision. We found no fault in how it {topic}.",
    ),
    "injustice_remedy_recommended": (
        "We found fault in how the council {topic}, which caused {who} avoidable distress and uncertainty. "
        "The council has agreed to remedy this.",
        "There was fault in how the council {topic}. The council has agreed to put things right for {who}.",
    ),
    "service_improvement": (  # remedies recommended, among them a service improvement
        "There was fault in how the council {topic}. The council has agreed to put things right for {who} "
        "and to improve its service.",
        "We found fault in how the council {topic}, which caused {who} injustice. The council has agreed to "
        "remedy this and to change how it works so it does not happen to others.",
    ),
    "satisfactory_remedy_by_council": (
        "There was fault in how the council {topic}, but it had already apologised and offered a suitable remedy "
        "before {who} came to us.",
    ),
    "no_significant_injustice": (
        "There was some fault in how the council {topic}, but it did not cause {who} significant injustice.",
    ),
}

RECOMMENDATION = {
    "apology": ("Apologise to {who} for the fault we found.", "Write to {who} to apologise for the delay."),
    "financial_redress": (
        "Pay {who} £{amount} to acknowledge the distress and uncertainty caused.",
        "Pay {who} £{amount} for the time and trouble of pursuing the complaint.",
        "Refund {who} £{amount} and pay interest on it.",
    ),
    "provide_service": (
        "Complete the outstanding work for {who} and confirm when it is done.",
        "Provide the support {who} is entitled to.",
    ),
    "decision": (
        "Reconsider the decision without the fault we found.",
        "Make a fresh decision and explain it to {who}.",
    ),
    "procedure_change": (
        "Review its procedures so this does not happen again, and tell us what it has changed.",
        "Update its guidance for officers and share it with us.",
    ),
    "staff_training": ("Remind relevant staff of the law and guidance.", "Arrange training for the officers involved."),
    "review_other_cases": ("Identify anyone else affected in the same way in the last year and offer them a remedy.",),
    "public_information": ("Update the information on its website so it is accurate and clear.",),
    "other": ("Carry out the remaining actions we agreed with the council.",),
}

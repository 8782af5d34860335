"""Word lists and sentence templates for the demo data. Data only: wording.py puts them together.

Everything here was written for Amends; no names or text are copied from a data set. Templates use
str.format slots filled by wording.slots(): {amount} {small} {big} {when} {weeks} {times} {days} {months}
{digits} {ombudsman}.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- people --------------------------------------------------------------------------------------------

FIRST_NAMES = {
    "england": [
        "Olivia",
        "Amelia",
        "Isla",
        "Ava",
        "Emily",
        "Sophie",
        "Grace",
        "Lily",
        "Chloe",
        "Hannah",
        "Jessica",
        "Charlotte",
        "Megan",
        "Lauren",
        "Rebecca",
        "Sarah",
        "Claire",
        "Joanne",
        "Karen",
        "Julie",
        "Susan",
        "Margaret",
        "Pauline",
        "Janet",
        "Doreen",
        "Sandra",
        "Priya",
        "Aisha",
        "Fatima",
        "Amina",
        "Zainab",
        "Sana",
        "Deepa",
        "Harpreet",
        "Gurpreet",
        "Mei",
        "Agnieszka",
        "Chiamaka",
        "Abena",
        "Bethan",
        "Sian",
        "Oliver",
        "George",
        "Harry",
        "Noah",
        "Jack",
        "Leo",
        "Arthur",
        "Thomas",
        "James",
        "William",
        "Daniel",
        "Matthew",
        "Ryan",
        "Liam",
        "Adam",
        "Craig",
        "Darren",
        "Lee",
        "Paul",
        "Mark",
        "Steven",
        "Gary",
        "Keith",
        "Brian",
        "Graham",
        "Trevor",
        "Derek",
        "Mohammed",
        "Yusuf",
        "Imran",
        "Tariq",
        "Sanjay",
        "Rajesh",
        "Wei",
        "Tomasz",
        "Kwame",
        "Chidi",
        "Emeka",
        "Rhys",
        "Gareth",
        "Dylan",
        "Owen",
        "Dafydd",
    ],
    "scotland": [
        "Eilidh",
        "Isla",
        "Morag",
        "Fiona",
        "Kirsty",
        "Ailsa",
        "Catriona",
        "Shona",
        "Mhairi",
        "Lorna",
        "Callum",
        "Fraser",
        "Hamish",
        "Euan",
        "Ewan",
        "Ross",
        "Angus",
        "Alasdair",
        "Gregor",
        "Craig",
        "Jamie",
        "Stuart",
        "Iain",
        "Douglas",
        "Aisha",
        "Kamran",
    ],
    "northern-ireland": [
        "Niamh",
        "Ciara",
        "Aoife",
        "Siobhan",
        "Orla",
        "Roisin",
        "Grainne",
        "Caoimhe",
        "Erin",
        "Shannon",
        "Ciaran",
        "Conor",
        "Padraig",
        "Darragh",
        "Eoin",
        "Declan",
        "Seamus",
        "Ryan",
        "Mark",
        "Gary",
        "Stephen",
        "Michael",
    ],
}

LAST_NAMES = {
    "england": [
        "Smith",
        "Jones",
        "Williams",
        "Taylor",
        "Brown",
        "Davies",
        "Evans",
        "Wilson",
        "Thomas",
        "Roberts",
        "Johnson",
        "Lewis",
        "Walker",
        "Robinson",
        "Wood",
        "Thompson",
        "White",
        "Watson",
        "Jackson",
        "Wright",
        "Green",
        "Harris",
        "Cooper",
        "King",
        "Lee",
        "Martin",
        "Clarke",
        "James",
        "Morgan",
        "Hughes",
        "Edwards",
        "Hill",
        "Moore",
        "Clark",
        "Harrison",
        "Scott",
        "Young",
        "Morris",
        "Hall",
        "Ward",
        "Turner",
        "Carter",
        "Phillips",
        "Mitchell",
        "Patel",
        "Khan",
        "Ahmed",
        "Ali",
        "Hussain",
        "Begum",
        "Singh",
        "Kaur",
        "Shah",
        "Mistry",
        "Chowdhury",
        "Okafor",
        "Mensah",
        "Adeyemi",
        "Nowak",
        "Kowalski",
        "Chen",
        "Wong",
        "Nguyen",
        "Pritchard",
        "Griffiths",
        "Jenkins",
        "Bennett",
        "Shaw",
        "Holmes",
        "Lloyd",
        "Marsh",
        "Barker",
        "Fletcher",
        "Hartley",
        "Booth",
        "Whitehead",
        "Oakley",
        "Ashworth",
        "Pearson",
        "Fox",
        "Dean",
        "Webb",
        "Kerr",
    ],
    "scotland": [
        "Campbell",
        "Stewart",
        "MacDonald",
        "MacLeod",
        "Fraser",
        "Reid",
        "Murray",
        "Ross",
        "Paterson",
        "Robertson",
        "Thomson",
        "Anderson",
        "Henderson",
        "Sinclair",
        "Mackenzie",
        "Munro",
        "Ferguson",
        "Gillespie",
        "Dunbar",
        "McIntyre",
        "Buchanan",
        "Grant",
        "Docherty",
        "Aziz",
    ],
    "northern-ireland": [
        "Murphy",
        "O'Neill",
        "Kelly",
        "Doherty",
        "McCann",
        "Quinn",
        "Gallagher",
        "Byrne",
        "McLaughlin",
        "O'Brien",
        "Devlin",
        "Maguire",
        "McAllister",
        "Hamilton",
        "Boyd",
        "Johnston",
        "Moore",
        "Kane",
        "Mulholland",
        "Cassidy",
    ],
}

ORGANISATIONS = [
    "Hillside Lettings Ltd",
    "Brightwater Community Trust",
    "Northgate Dental Practice",
    "The Old Mill Cafe",
    "Castle Street Tenants' Association",
    "Riverside Care Home",
    "Ashdown Primary School PTA",
    "Greenacre Allotment Society",
    "Kestrel Joinery Ltd",
    "Harbour View Guest House",
    "St Anne's Food Bank",
    "Milltown Taxis",
    "Foxglove Florists",
    "Beacon Youth Club",
    "Oakfield Surgery",
    "Lomond Print Works",
    "Larkhill Residents' Group",
    "Marlow & Finch Accountants",
    "Copperbeech Nursery",
    "Tanners Yard Studios",
    "Glenview Housing Co-operative",
    "Station Road Garage",
    "Willow Tree Hair Salon",
    "Bridge End Bakery",
]

EMAIL_DOMAINS = ["example.com", "example.org", "example.net"]

OFFICES = {
    "england": ["Leeds", "Bristol", "Birmingham", "Cardiff", "Norwich", "Sheffield"],
    # As many as England's: a person the plan first put in England draws the same way.
    "wales": ["Cardiff", "Swansea", "Newport", "Wrexham", "Bristol", "Birmingham"],
    "scotland": ["Glasgow", "Edinburgh", "Dundee"],
    "northern-ireland": ["Belfast", "Derry"],
}

# username, first name, last name, role, team slug. The six role logins come first.
STAFF = [
    ("adviser", "Jess", "Morgan", "adviser", "complaints"),
    ("handler", "Sam", "Okoro", "case_handler", "complaints"),
    ("leader", "Helen", "Brady", "team_leader", "complaints"),
    ("lead", "Martin", "Keane", "complaints_lead", None),
    ("assessor", "Nadia", "Hussain", "assessor", "complaints"),
    ("admin", "Chris", "Dale", "admin", None),
    ("iqa", "Grace", "Adeyemi", "iqa", None),
    ("marcus.reid", "Marcus", "Reid", "adviser", "complaints"),
    ("eilidh.campbell", "Eilidh", "Campbell", "case_handler", "complaints"),
    ("rachel.owusu", "Rachel", "Owusu", "adviser", "billing"),
    ("tom.gallagher", "Tom", "Gallagher", "case_handler", "billing"),
    ("sunita.mehta", "Sunita", "Mehta", "adviser", "repairs"),
    ("dave.pritchard", "Dave", "Pritchard", "case_handler", "repairs"),
]

# Demo postal addresses (people.postal_address): invented streets, real towns in each nation.
STREETS = [
    "Willow Lane",
    "Station Road",
    "Mill Street",
    "Church View",
    "Orchard Close",
    "Harbour Terrace",
    "Beech Avenue",
    "Quarry Road",
    "Kingfisher Way",
    "Chapel Row",
    "Meadow Court",
    "Castle Street",
    "Riverside Walk",
    "Elm Grove",
]
BUSINESS_PARKS = ["Riverside Business Park", "Meadowbank Trading Estate", "Northgate Enterprise Centre"]
TOWNS = {
    "england": ["Leeds", "Bristol", "Norwich", "York", "Leicester", "Plymouth", "Carlisle", "Reading"],
    "wales": ["Cardiff", "Swansea", "Wrexham", "Aberystwyth", "Newport"],
    "scotland": ["Perth", "Dundee", "Inverness", "Stirling", "Paisley"],
    "northern-ireland": ["Belfast", "Newry", "Omagh", "Coleraine"],
}

# How each signs their letters, under their name.
JOB_TITLES = {
    "adviser": "Customer Adviser",
    "handler": "Complaints Officer",
    "leader": "Complaints Team Leader",
    "lead": "Head of Customer Relations",
    "admin": "Systems Administrator",
    "marcus.reid": "Customer Adviser",
    "eilidh.campbell": "Complaints Officer",
    "rachel.owusu": "Billing Adviser",
    "tom.gallagher": "Billing Complaints Officer",
    "sunita.mehta": "Repairs Adviser",
    "dave.pritchard": "Repairs Complaints Officer",
}

TEAMS = [("Complaints", "complaints"), ("Billing", "billing"), ("Repairs", "repairs")]

# --- what customers write about -------------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    summary: str
    happened: str  # first person, what went wrong or what they want to know
    outcome: str  # imperative, lower case, no full stop: "refund the fee"
    resolution: str  # what we found or did, to finish "I'm pleased to say ..." or "... so ..."


@dataclass(frozen=True)
class Category:
    name: str
    team: str
    topic: str  # "your mortgage": "thank you for contacting us about ..."
    impacts: str  # which IMPACTS list fits
    ombudsman: str  # where a customer can take it; "" when there is no ombudsman
    ask: str  # what we ask the customer for
    given: str  # the customer's reply with that information
    queries: tuple[Issue, ...]
    problems: tuple[Issue, ...]
    complaints: tuple[Issue, ...]
    # The products or services of ours a contact in this category is about, as the case records them.
    products: tuple[str, ...] = ()


FOS = "the Financial Ombudsman Service"
HOUSING = "the Housing Ombudsman"

CATEGORIES = [
    Category(
        "Current account",
        "complaints",
        "your current account",
        "money",
        FOS,
        "the date and amount of the payment, and a screenshot of your statement if you have one",
        "The payment went out on the 14th for {amount}. I've attached a screenshot of my statement.",
        products=("Classic current account", "Premier current account", "Basic bank account"),
        queries=(
            Issue(
                "Question about overdraft interest",
                "Could you explain how the interest on my arranged overdraft is worked out? This month's "
                "statement shows {small} and I can't match it to the rate I was given.",
                "explain how the charge was calculated",
                "the charge is daily interest on the overdrawn balance; I've sent a day-by-day breakdown",
            ),
            Issue(
                "Adding a joint account holder",
                "My partner and I would like to turn my current account into a joint account. What do we "
                "need to do, and can it be done without going into a branch?",
                "tell us the steps and what documents we need",
                "you can both apply in the app; I've emailed the list of documents you'll need",
            ),
        ),
        problems=(
            Issue(
                "Debit card declined",
                "My debit card was declined {when} at the supermarket even though there was over {amount} "
                "in the account. It happened again the next day at the petrol station.",
                "find out what is wrong with the card and send a replacement if it's faulty",
                "the chip on your card had failed, and a replacement card is on its way",
            ),
            Issue(
                "Direct debit not set up",
                "I moved my council tax direct debit to this account {when} but it was never set up and the "
                "council have now written to me about a missed payment.",
                "set the direct debit up and confirm to the council that it wasn't my fault",
                "the direct debit is now set up and I've sent you a letter to pass to the council",
            ),
        ),
        complaints=(
            Issue(
                "Charged twice for one payment",
                "A payment of {amount} to my landlord left my account twice {when}. I rang the next day and "
                "was told it would be put back within 48 hours. It still hasn't been.",
                "refund the duplicate payment and any charges it caused",
                "we have refunded the duplicate payment of {amount} and the {small} in charges it caused",
            ),
            Issue(
                "Overdraft fees after a cheque delay",
                "I paid a cheque in at the branch {when} and was told it would clear in two days. It took "
                "over a week, I went overdrawn and you charged me {small} in fees.",
                "refund the fees and correct anything reported on my credit file",
                "we have refunded the fees and asked the credit reference agencies to remove the entry",
            ),
            Issue(
                "Account blocked without warning",
                "My account was blocked {when} with no warning. I couldn't pay for food or my rent and "
                "nobody on the phone could tell me why. I spent over two hours on hold.",
                "unblock the account, explain why it happened and compensate me for the distress",
                "the account was unblocked the same day and we have paid £150 for the distress caused",
            ),
        ),
    ),
    Category(
        "Credit card",
        "complaints",
        "your credit card",
        "money",
        FOS,
        "the last four digits of your card and any emails you had from the retailer",
        "My card ends {digits}. I've forwarded the emails from the retailer below.",
        products=("Classic credit card", "Rewards credit card", "Balance transfer credit card"),
        queries=(
            Issue(
                "Balance transfer fee",
                "I'm thinking of moving a balance of {big} onto my card. What fee would I pay, and how long "
                "does the 0% rate last?",
                "tell me the fee and how long the promotional rate lasts",
                "the fee is 3% and the 0% rate lasts 18 months from the date of the transfer",
            ),
            Issue(
                "Changing my payment date",
                "Is it possible to change the date my minimum payment is taken? I get paid on the 28th and "
                "the current date leaves me short.",
                "move my payment date to after payday",
                "your payment date has been moved to the 1st of each month",
            ),
        ),
        problems=(
            Issue(
                "Payment I don't recognise",
                "There's a payment of {amount} on my statement to a company I've never heard of, dated "
                "{when}.",
                "investigate it, refund it if it's fraud and send me a new card",
                "the payment has been refunded as fraud and a new card has been sent",
            ),
            Issue(
                "Replacement card not arrived",
                "My replacement card was meant to arrive {weeks} ago and it still hasn't come. I can't use "
                "the account in the meantime.",
                "send the card, by recorded delivery if possible",
                "a new card has been sent by special delivery",
            ),
        ),
        complaints=(
            Issue(
                "Late payment fee charged wrongly",
                "I paid my balance in full {when}, two days before the due date, and you still charged me a "
                "£12 late payment fee plus interest.",
                "refund the fee and interest and make sure it doesn't affect my credit score",
                "we have refunded the £12 fee and {small} interest, and nothing was reported to the "
                "credit reference agencies",
            ),
            Issue(
                "Section 75 claim refused",
                "I paid {amount} for a sofa on my card and the shop went bust before delivering it. You "
                "turned down my Section 75 claim saying I hadn't sent enough evidence, but I sent "
                "everything you asked for.",
                "look at the Section 75 claim again and refund the {amount}",
                "we have reviewed the claim, accepted it and refunded {amount}",
            ),
            Issue(
                "Credit limit cut without notice",
                "You cut my credit limit by {big} without telling me. My car insurance payment was declined "
                "and I was driving without cover for two days before I found out.",
                "explain why it happened and compensate me for the trouble it caused",
                "the letter telling you about the change was never sent; we have apologised and paid £75",
            ),
        ),
    ),
    Category(
        "Mortgage",
        "complaints",
        "your mortgage",
        "money",
        FOS,
        "your mortgage account number and the dates you spoke to us",
        "My mortgage account number is on the letter I've attached. I called on the 3rd and the 10th.",
        products=("Fixed-rate mortgage", "Tracker mortgage"),
        queries=(
            Issue(
                "Overpayment allowance",
                "How much can I overpay on my mortgage this year without paying an early repayment charge?",
                "tell me the overpayment limit and how to make one",
                "you can overpay up to 10% of the balance each year; details of how to pay are enclosed",
            ),
            Issue(
                "When can I choose a new rate?",
                "My fixed rate ends in {months} months. How early can I choose a new product with you?",
                "tell me when I can lock in a new rate",
                "you can choose a new rate up to six months before your current deal ends",
            ),
        ),
        problems=(
            Issue(
                "Redemption statement not received",
                "I asked for a redemption statement {weeks} ago because I'm selling the house. My solicitor "
                "still hasn't received it and completion is due soon.",
                "send the redemption statement to my solicitor urgently",
                "the redemption statement has been emailed to your solicitor",
            ),
            Issue(
                "Mortgage payment taken on the wrong date",
                "My mortgage payment of {amount} was taken on the 1st instead of the 15th as agreed, and it "
                "left me overdrawn.",
                "put the payment date back and cover my bank charges",
                "the payment date is back to the 15th and we have paid {small} towards your bank charges",
            ),
        ),
        complaints=(
            Issue(
                "Product switch not done in time",
                "I applied to switch to a new fixed rate well before my deal ended, but the switch wasn't "
                "done in time and I was moved onto the standard variable rate. My payment went up by "
                "{amount} a month.",
                "backdate the new rate and refund the extra interest",
                "we have backdated the new rate and refunded the extra interest of {amount}",
            ),
            Issue(
                "Handling of my mortgage arrears",
                "I told you I had lost my job and asked for help with my payments. Instead I got letters "
                "threatening repossession and phone calls at work.",
                "stop the letters, agree a realistic payment plan and apologise",
                "the letters have stopped, a six-month reduced payment plan is in place and we apologise",
            ),
            Issue(
                "Early repayment charge",
                "You charged me an early repayment charge of {big} when I sold my house, although I was told "
                "in branch that it would be waived because I was moving the mortgage with me.",
                "refund the early repayment charge",
                "we have refunded the early repayment charge of {big}",
            ),
        ),
    ),
    Category(
        "Repairs",
        "repairs",
        "a repair at your home",
        "home",
        HOUSING,
        "a few photos of the problem and some days and times when someone can get in",
        "I've attached photos. I'm in most mornings, and any time on Thursdays.",
        products=("General needs tenancy", "Shared ownership", "Leasehold"),
        queries=(
            Issue(
                "When is my repair booked?",
                "I reported a dripping tap in the bathroom {when}. Could you tell me whether an appointment "
                "has been booked?",
                "give me a date for the repair",
                "the plumber is booked for next Tuesday morning",
            ),
            Issue(
                "Permission to replace my shower",
                "I'd like to replace the shower over my bath at my own cost. Do I need permission, and are "
                "there rules I need to follow?",
                "tell me whether I need permission and any conditions",
                "you have permission as long as a qualified electrician fits it; the conditions are enclosed",
            ),
        ),
        problems=(
            Issue(
                "No heating or hot water",
                "The boiler stopped working {when} and we have no heating or hot water. I have two young "
                "children at home.",
                "send an engineer as soon as possible",
                "the engineer replaced the faulty part and the heating is working again",
            ),
            Issue(
                "Leak through the kitchen ceiling",
                "Water is coming through my kitchen ceiling from the flat upstairs. The light fitting is wet "
                "and I've switched it off at the fuse box.",
                "make it safe and fix the leak",
                "the leak from the flat above has been repaired and an electrician has checked the light",
            ),
            Issue(
                "Front door won't lock",
                "The lock on my front door broke {when} and the door won't lock. I'm on my own and I don't "
                "feel safe.",
                "fix the lock today",
                "a new lock was fitted the same evening",
            ),
        ),
        complaints=(
            Issue(
                "Damp and mould still not dealt with",
                "I first reported damp and black mould in the back bedroom {weeks} ago. Someone came and took "
                "photos, but nothing has been done since. My son has asthma and it is getting worse.",
                "treat the mould, find and fix the cause, and move us if that can't be done quickly",
                "the mould has been treated, the leaking gutter causing it has been replaced and we have "
                "paid £250 compensation",
            ),
            Issue(
                "Repair appointments missed",
                "I have taken {times} days off work for repair appointments and nobody turned up. Each time I "
                "had to ring to find out the engineer wasn't coming.",
                "give me a fixed appointment that is kept, and compensate me for my lost wages",
                "the repair was completed on a fixed appointment and we have paid £120 for the missed visits",
            ),
            Issue(
                "Poor quality window repair",
                "The contractor who replaced my kitchen window left it draughty, with gaps round the frame. "
                "Rain comes in whenever it's windy.",
                "send someone to do the job properly",
                "a supervisor inspected the window and it has been refitted properly",
            ),
        ),
    ),
    Category(
        "Rent and service charges",
        "billing",
        "your rent and service charges",
        "money",
        HOUSING,
        "a copy of your bank statement showing the payment",
        "Here's my bank statement showing the {amount} going out {when}.",
        products=("General needs tenancy", "Shared ownership", "Leasehold"),
        queries=(
            Issue(
                "Service charge breakdown",
                "Could you send me a breakdown of this year's service charge? It has gone up to {amount} a "
                "month and I'd like to see what it covers.",
                "send me a breakdown of the service charge",
                "I've sent the breakdown; most of the increase is the new communal heating contract",
            ),
            Issue(
                "Rent increase from April",
                "I had a letter about the rent increase from April. Does the new figure include the service "
                "charge, or is that separate?",
                "explain what I'll pay from April",
                "the new figure includes the service charge, so there is nothing extra to pay",
            ),
        ),
        problems=(
            Issue(
                "Rent payment not showing",
                "I paid {amount} rent by bank transfer {when} but my rent account still shows me in arrears.",
                "correct my rent account",
                "the payment had been put on the wrong account; it has been moved and your account is clear",
            ),
            Issue(
                "Wrong rent amount on my statement",
                "My rent statement shows a charge of {amount} that I don't recognise.",
                "explain the charge or remove it",
                "the charge was a duplicate and has been removed",
            ),
        ),
        complaints=(
            Issue(
                "Charged for cleaning that isn't done",
                "We pay for communal cleaning every week, but nobody has cleaned the stairwell for {weeks}. "
                "There is rubbish on the landings.",
                "refund the cleaning charge for the weeks it wasn't done",
                "we have credited the cleaning charge for the missed weeks and changed the contractor",
            ),
            Issue(
                "Arrears letter sent in error",
                "I received a letter saying I was in arrears and could lose my home. I have never missed a "
                "payment. It frightened the life out of my mum, who lives with me.",
                "apologise and confirm my account is clear",
                "the letter was sent in error; your account is clear and we have apologised in writing",
            ),
            Issue(
                "Service charge increase not explained",
                "My service charge has gone up by {small} a month with no explanation and no consultation.",
                "explain the increase and consult residents properly",
                "we have sent the full breakdown and will hold a residents' meeting before any future rise",
            ),
        ),
    ),
    Category(
        "Anti-social behaviour",
        "complaints",
        "anti-social behaviour near your home",
        "home",
        HOUSING,
        "a diary of the incidents, with dates and times, and the names of any witnesses",
        "I've attached the diary I've been keeping since the summer. My neighbour at number 12 has also "
        "heard it.",
        products=("General needs tenancy", "Shared ownership"),
        queries=(
            Issue(
                "How to report noise",
                "What's the best way to report noise from a neighbour? Do I need to keep a diary?",
                "tell me how to report it",
                "I've sent you diary sheets and the number for the out-of-hours noise line",
            ),
            Issue(
                "Who is my housing officer?",
                "Could you tell me who my housing officer is? I'd like to talk to them about problems on the "
                "estate.",
                "give me my housing officer's name and contact details",
                "I've sent you your housing officer's name and direct number",
            ),
        ),
        problems=(
            Issue(
                "Loud music every night",
                "The people in the flat next door play loud music most nights until 3 or 4 in the morning.",
                "speak to them and make it stop",
                "the housing officer has visited the neighbour and issued a warning",
            ),
            Issue(
                "Rubbish dumped by the bins",
                "Someone keeps dumping furniture and bags of rubbish by the bin store, and there are rats.",
                "clear it and stop it happening",
                "the rubbish has been cleared, pest control has visited and a camera has been put up",
            ),
        ),
        complaints=(
            Issue(
                "Anti-social behaviour reports ignored",
                "I have reported my neighbour's behaviour {times} times since the summer, including threats "
                "to my daughter. Each time I'm told it's been passed on and nothing happens.",
                "take proper action against the neighbour and give me a named officer to talk to",
                "a named officer is now handling your case and we have applied for an injunction",
            ),
            Issue(
                "ASB case closed without telling me",
                "You closed my anti-social behaviour case without telling me and without anyone speaking to "
                "the neighbour.",
                "reopen the case and keep me updated",
                "the case has been reopened and your officer will update you every fortnight",
            ),
        ),
    ),
    Category(
        "Billing",
        "billing",
        "your bill",
        "money",
        "the Ombudsman",
        "a photo of the bill you're querying",
        "Photo of the bill attached. The account number is at the top.",
        products=("Dual fuel", "Electricity", "Broadband and landline"),
        queries=(
            Issue(
                "Why is my bill so high?",
                "My latest bill is {amount}, nearly double the last one. Could you explain why?",
                "explain the bill",
                "the last bill covered four months instead of one because of a delay; I've sent a breakdown",
            ),
            Issue(
                "Switching to paperless bills",
                "How do I switch to paperless billing? I'm getting paper bills and emails.",
                "switch me to paperless billing",
                "your account is now paperless",
            ),
        ),
        problems=(
            Issue(
                "Bills going to my old address",
                "Bills are still going to my old address even though I told you I'd moved {when}.",
                "update my address and send the bills again",
                "your address has been updated and copies of the bills are on their way",
            ),
            Issue(
                "Payment not showing on my account",
                "I paid {amount} online {when} but my account still shows it as unpaid.",
                "find the payment and update my account",
                "the payment has been found and applied to your account",
            ),
        ),
        complaints=(
            Issue(
                "Debt collectors for a bill I paid",
                "I've had a letter from a debt collection agency about a bill of {amount} that I paid {when}. "
                "I have the bank statement to prove it.",
                "call off the debt collectors, apologise and confirm it won't affect my credit file",
                "the debt has been recalled from the agency, your credit file is clear and we have paid £50",
            ),
            Issue(
                "Overcharged for months",
                "I've been charged for two accounts since I moved, {amount} a month extra, and it took me a "
                "while to notice.",
                "refund everything I've been overcharged, with interest",
                "the duplicate account has been closed and we have refunded {big} with interest",
            ),
            Issue(
                "Final bill wrong",
                "My final bill after moving out is for {amount}, but I sent a closing reading on the day I "
                "left and it's been ignored.",
                "recalculate the final bill using my reading",
                "the final bill has been recalculated from your reading and is {small}",
            ),
        ),
    ),
    Category(
        "Energy supply",
        "billing",
        "your energy supply",
        "money",
        "the Energy Ombudsman",
        "photos of your meter showing today's readings and the meter serial number",
        "Photos of the meter are attached. Today's reading is 04417.",
        products=("Dual fuel", "Electricity", "Prepayment energy"),
        queries=(
            Issue(
                "Is my smart meter sending readings?",
                "Is my smart meter sending readings? My app says it hasn't updated since {when}.",
                "check the meter is working",
                "the meter had lost its signal; it has been reset remotely and is sending readings again",
            ),
            Issue(
                "Warm Home Discount",
                "Am I eligible for the Warm Home Discount this winter? I receive Pension Credit.",
                "tell me if I qualify and how to apply",
                "you qualify automatically and the discount will be applied to your account in the winter",
            ),
        ),
        problems=(
            Issue(
                "Prepayment top-up not on the meter",
                "I topped up my prepayment meter with {small} {when} but the credit hasn't gone onto the meter "
                "and I'm on emergency credit.",
                "get the credit onto the meter urgently",
                "the top-up has been sent to the meter again and your emergency credit has been cleared",
            ),
            Issue(
                "Estimated bills",
                "My bills have been estimated for months even though I send readings every month.",
                "use my actual readings and re-bill me",
                "your account has been re-billed on your readings and is now {small} in credit",
            ),
        ),
        complaints=(
            Issue(
                "Back-billed for over a year",
                "You've sent me a catch-up bill for {big} covering more than a year. I was never told my "
                "readings weren't being used.",
                "apply the back-billing rules and cancel anything older than 12 months",
                "we have applied the back-billing rules and removed the charges older than 12 months",
            ),
            Issue(
                "Direct debit increased without reason",
                "You increased my direct debit from {small} to {amount} a month without explanation, and my "
                "account is already in credit.",
                "put the direct debit back and refund the credit",
                "the direct debit is back to its old amount and the credit has been refunded",
            ),
            Issue(
                "Supply switched without consent",
                "My energy supply was switched to you without my permission and I'm now paying more.",
                "switch me back at no cost and refund the difference",
                "the switch has been reversed at no cost to you and the difference refunded",
            ),
        ),
    ),
    Category(
        "Broadband",
        "complaints",
        "your broadband service",
        "service",
        "the Communications Ombudsman",
        "the times the connection dropped and which lights are showing on your router",
        "It dropped at about 9am, 1pm and 7pm yesterday. The light on the router flashes orange.",
        products=("Fibre broadband", "Broadband and landline"),
        queries=(
            Issue(
                "When does my contract end?",
                "Could you tell me when my broadband contract ends and what the price will be afterwards?",
                "tell me the end date and the new price",
                "your contract ends in March and I've sent the prices of the deals you can move to",
            ),
            Issue(
                "Faster speeds in my area",
                "Is full fibre available at my address yet? I'd like to upgrade.",
                "tell me if I can upgrade",
                "full fibre is available at your address and I've sent the upgrade options",
            ),
        ),
        problems=(
            Issue(
                "Broadband keeps dropping",
                "My broadband has been dropping out several times a day since {when}. I work from home and I "
                "keep losing video calls.",
                "fix the connection or send an engineer",
                "an engineer found a fault on the line outside and fixed it",
            ),
            Issue(
                "No connection after moving",
                "I moved house {when} and the broadband was meant to go live on the same day. It still isn't "
                "working.",
                "get the broadband working",
                "the line has been activated and the connection is working",
            ),
        ),
        complaints=(
            Issue(
                "No internet for days",
                "We had no internet for {days} days. I rang every day and was told each time it would be "
                "fixed within 24 hours.",
                "compensate me for the days without service",
                "we have credited your account with automatic compensation for {days} days",
            ),
            Issue(
                "Price rise in the middle of my contract",
                "My monthly price went up by {small} in the middle of my contract and I was never told.",
                "put the price back or let me leave without a fee",
                "you can leave without an early termination charge, as the notice was not sent",
            ),
            Issue(
                "Engineer didn't turn up",
                "I took a day's leave for an engineer appointment {when} and nobody came or called.",
                "rebook the engineer and compensate me for the wasted day",
                "the engineer has been rebooked and we have credited £30 for the missed appointment",
            ),
        ),
    ),
    Category(
        "Delivery",
        "complaints",
        "your delivery",
        "service",
        "",
        "your order number and a photo of where the parcel was meant to be left",
        "The order number is on the confirmation email below. I've attached a photo of my porch.",
        products=("Online shop",),
        queries=(
            Issue(
                "Where is my order?",
                "I placed an order {when} and haven't had any tracking information. Could you tell me where "
                "it is?",
                "tell me when it will arrive",
                "your order was dispatched yesterday and should arrive within two working days",
            ),
            Issue(
                "Changing the delivery address",
                "Can I change the delivery address on an order I placed {when}? I'll be at work all week.",
                "send it to my work address instead",
                "the delivery address has been changed to your work address",
            ),
        ),
        problems=(
            Issue(
                "Parcel marked delivered but not received",
                "The tracking says my parcel was delivered {when}, but nothing came. I was in all day.",
                "find the parcel or send a replacement",
                "the parcel had been left with a neighbour at the wrong number; it has been collected",
            ),
            Issue(
                "Item arrived damaged",
                "My order arrived {when} with the box crushed and the item inside broken.",
                "send a replacement and collect the broken one",
                "a replacement has been sent and the courier will collect the damaged item",
            ),
        ),
        complaints=(
            Issue(
                "Parcel left in the wheelie bin",
                "The driver left my parcel in the wheelie bin and it went off with the bin collection. It "
                "had {amount} of medical supplies in it.",
                "replace the order and make sure it doesn't happen again",
                "the order has been replaced at no cost and the driver has been retrained",
            ),
            Issue(
                "Rude delivery driver",
                "The delivery driver swore at my elderly father when he took a while to get to the door.",
                "apologise and make sure the driver is spoken to",
                "the driver's manager has spoken to him and we have written to your father to apologise",
            ),
            Issue(
                "Delivery missed three times",
                "Three delivery slots in a row have been missed. I waited in each time and nobody came.",
                "deliver the order on a day I choose and refund the delivery charge",
                "the order was delivered on the day you chose and the delivery charge has been refunded",
            ),
        ),
    ),
    Category(
        "Refund",
        "billing",
        "your refund",
        "money",
        "",
        "your order number and the date you sent the item back",
        "I sent it back {when} and I've attached the proof of postage.",
        products=("Online shop", "In-store purchase"),
        queries=(
            Issue(
                "How long do refunds take?",
                "I returned an item {when}. How long does a refund usually take to reach my account?",
                "tell me when to expect the refund",
                "refunds take up to five working days after the item reaches our warehouse",
            ),
            Issue(
                "Refund to a closed card",
                "I'm due a refund but the card I paid with has been closed. How will I get my money?",
                "tell me how the refund will be paid",
                "we can pay the refund by bank transfer; I've sent you a form to fill in",
            ),
        ),
        problems=(
            Issue(
                "Refund not received",
                "I returned the item {when} and had an email saying the refund of {amount} was approved, but "
                "it hasn't reached my account.",
                "pay the refund",
                "the refund had failed because of a system error and has now been paid",
            ),
            Issue(
                "Refunded the wrong amount",
                "I was refunded {small} instead of {amount} for the item I returned.",
                "pay the rest of the refund",
                "the balance of the refund has been paid",
            ),
        ),
        complaints=(
            Issue(
                "Refund refused",
                "You've refused my refund because the item was 'used', but it was faulty from the day it "
                "arrived.",
                "accept the return and refund me in full",
                "we have accepted the return as faulty and refunded {amount} in full",
            ),
            Issue(
                "Refund promised over and over",
                "I've been promised a refund of {amount} {times} times by different people on your phone "
                "line. Each time I'm told it'll be 5 to 7 working days.",
                "pay the refund today and explain what went wrong",
                "the refund was paid the same day; it had been stuck waiting for a manager's approval",
            ),
        ),
    ),
]

# --- how they say it ------------------------------------------------------------------------------------

TONES = ("polite", "neutral", "frustrated", "angry", "distressed")
TONE_WEIGHTS = {
    "query": (70, 28, 2, 0, 0),
    "problem": (32, 33, 25, 5, 5),
    "complaint": (15, 18, 30, 22, 15),
}

GREETINGS = {
    "polite": ["Dear Sir or Madam,", "Hello,", "Good morning,", "Hi there,", "Dear Customer Services,"],
    "neutral": ["Hello,", "Hi,", "To whom it may concern,", ""],
    "frustrated": ["Hello,", "To whom it may concern,", ""],
    "angry": ["To whom it may concern,", "FORMAL COMPLAINT", ""],
    "distressed": ["Hello,", "Please help,", "Dear Sir or Madam,"],
}

OPENERS = {
    "polite": ["I hope you can help.", "I'd be grateful if you could look into the following.", ""],
    "neutral": ["I'm writing about my account.", "", ""],
    "frustrated": [
        "I've tried to sort this out several times now without success.",
        "I'm writing because I'm getting nowhere on the phone.",
        "I'm disappointed to have to write about this again.",
    ],
    "angry": [
        "I want to make a formal complaint.",
        "Frankly this is the worst service I have ever had.",
        "I am absolutely furious about how I have been treated.",
    ],
    "distressed": [
        "I'm sorry to write such a long message but I don't know where else to turn.",
        "I'm at the end of my tether with this.",
        "I'm really struggling and I need someone to help me.",
    ],
}

HISTORY = [
    "I rang {when} and was promised a call back that never came.",
    "I've already explained all of this to two different people on the phone.",
    "I reported this on your website {when} and heard nothing back.",
    "Your chatbot just sent me round in circles.",
    "I was cut off twice while on hold.",
]

IMPACTS = {
    "money": [
        "I've had to borrow money from my sister to cover it.",
        "It has left me short for the rest of the month.",
        "My bank has charged me as a result.",
        "I'm on a tight budget and I can't afford for this to happen.",
    ],
    "home": [
        "We've had to move the children into our bedroom.",
        "Some of my belongings have been ruined.",
        "I haven't had a proper night's sleep in weeks.",
        "I'm worried about my family's health.",
    ],
    "service": [
        "I've wasted hours trying to sort this out.",
        "I've had to take time off work to deal with it.",
        "It's been incredibly inconvenient.",
    ],
    "distressed": [
        "I have anxiety and dealing with this on the phone makes it much worse, so please reply in writing.",
        "I care for my mum full time and I just don't have the energy to keep chasing this.",
        "I'm disabled and I rely on this, so it has hit me very hard.",
        "This is really affecting my mental health.",
    ],
}

ASKS = ["Please {o}.", "I would like you to {o}.", "What I want is for you to {o}.", "Could you please {o}?"]
ASKS_ANGRY = ["I expect you to {o}.", "I want you to {o}, and quickly.", "At the very least you need to {o}."]

ESCALATIONS = [
    "If this isn't resolved I will take it to {ombudsman}.",
    "Citizens Advice have told me I can go to {ombudsman} if you don't put this right.",
    "I have spoken to a solicitor, who has advised me to put everything in writing.",
    "My solicitor will be in touch if I don't hear back within 14 days.",
    "I am copying this to my MP.",
    "I'll be sharing my experience online if this isn't dealt with.",
]

CLOSERS = {
    "polite": ["Thank you for your help.", "Many thanks in advance.", "I look forward to hearing from you."],
    "neutral": ["I look forward to your reply.", "Please let me know what happens next.", ""],
    "frustrated": [
        "I'd appreciate a proper reply this time.",
        "Please don't just send another standard email.",
    ],
    "angry": [
        "I expect a full response, not another copy-and-paste email.",
        "I want this dealt with by someone senior.",
        "Sort it out.",
    ],
    "distressed": ["Please, someone just call me back.", "I can't keep going round in circles like this."],
}

SIGN_OFFS = {
    "polite": ["Kind regards,", "Many thanks,", "Best wishes,", "Thanks,"],
    "neutral": ["Regards,", "Thanks,", "Kind regards,"],
    "frustrated": ["Regards,", "Thanks,"],
    "angry": ["Regards,", ""],
    "distressed": ["Thank you,", "Thanks,"],
}

SOCIAL_POSTS = [
    "{at} {summary}. Been waiting {weeks} for someone to sort it. Not good enough.",
    "{at} hi, is anyone able to help? {summary}. Messaged you {when} but no reply",
    "{at} third time asking now. {summary}. Can someone PLEASE get back to me",
    "{at} {summary} and nobody seems to care. Really poor.",
    "{at} could you DM me please? {summary}. Thanks",
]

MOODS = {
    "polite": "Customer was calm and polite.",
    "neutral": "Customer was calm.",
    "frustrated": "Customer was frustrated about the time this is taking.",
    "angry": "Customer was angry and asked to speak to a manager.",
    "distressed": "Customer was upset and in tears at times; offered to call back rather than keep them on hold.",
}

# --- follow-ups from the customer -----------------------------------------------------------------------

CHASERS = {
    "polite": ["Hello, I'm just checking whether there's any update on this. Thanks."],
    "neutral": ["Is there any update on this please?", "Just chasing a reply to my message below."],
    "frustrated": [
        "I still haven't heard anything about this. Can someone please get back to me?",
        "It's been over a week and I've had no reply. Please can someone look at this.",
    ],
    "angry": [
        "This is ridiculous. I've had nothing but an automatic email. I want a reply today.",
        "Still nothing. I will be taking this further if I don't hear from you.",
    ],
    "distressed": ["Please can someone get back to me, I'm really worried about this."],
}

COME_BACKS = [
    "I'm sorry, but this isn't sorted. The same thing has happened again.",
    "I'm not happy with your response. You haven't dealt with the main point of my complaint.",
    "I thought this was fixed, but it's started again.",
]

# --- what staff write -----------------------------------------------------------------------------------

FIRST_REPLIES = {
    "query": [
        "Thank you for your question about {topic}. I'm {staff_first} and I'll find out the answer for you.\n\n"
        "I'm checking a couple of things with colleagues and will come back to you shortly.",
    ],
    "problem": [
        "Thank you for letting us know. I'm {staff_first} and I'll be sorting this out for you.\n\nI've "
        "asked the right team to look at it and will update you within the next few working days.",
        "Thank you for getting in touch about {topic}. I'm {staff_first} and I'll be looking after your "
        "request from now on.\n\nI'll be in touch again as soon as I have an update.",
    ],
    "complaint": [
        "Thank you for getting in touch about {topic}. I'm {staff_first} and I'll be looking after your "
        "complaint from now on.\n\nI'm looking into what happened and will update you within the next few "
        "working days.",
        "I'm sorry to hear about the trouble you've had with {topic}. My name is {staff_first} and I'm "
        "dealing with your complaint.\n\nI've started looking into it and will be in touch again soon.",
    ],
}

QUERY_ASK = "your account or reference number and a good time to call you"
QUERY_GIVEN = "My account number ends {digits}. The best time to call is after 3pm on weekdays."

SECOND_LOOKS = [
    "Thank you for coming back to me, and I'm sorry this still isn't right. I've looked at it again and "
    "made sure it has been dealt with properly this time: {resolution}. I'll check with you in a fortnight "
    "that everything is still in order.",
    "I'm sorry to hear you're still not happy. I've reviewed your case again with my manager. {Resolution}, "
    "and I have added a note to your account so that this is not repeated.",
]

INFO_REQUESTS = [
    "To look into this properly I need a little more information. Could you send me {ask}?\n\nAs soon as I "
    "have this I'll carry on with your {kind}.",
    "Thank you for your patience. So that I can get this put right, please could you reply with {ask}?",
]

HOLDING_REPLIES = [
    "I wanted to let you know I'm still looking into your {kind}. I'm waiting to hear back from another "
    "team and I'll update you as soon as I can.",
    "I'm sorry this is taking longer than I'd hoped. I'm still working on it and will write again within "
    "five working days.",
]

FINDINGS = {
    "upheld": "I have looked into everything and I'm sorry to say we got this wrong, so I uphold your "
    "complaint.",
    "partly": "Having looked into this, I think we could have handled things better, so I partly uphold your "
    "complaint.",
    "not_upheld": "Having looked carefully at what happened, I'm satisfied that we followed the right "
    "process, so I'm not able to uphold your complaint. I do understand how frustrating this has been.",
}

REFERRAL = (
    "If you are not happy with this response, you can refer your complaint to {ombudsman} within six months "
    "of the date of this letter. Their service is free."
)
REFERRAL_NONE = "If you are not happy with this response, Citizens Advice can tell you about your options."

CALL_NOTES_OUT = [
    "Called {first} to introduce myself and talk through the {kind}. Went through what happened and "
    "confirmed the details. Agreed I'll update them by the end of the week.",
    "Tried to call {first} on the number on file, no answer. Left a voicemail with my direct line.",
    "Spoke to {first} to check a few details about the {kind}. They were happy to wait while I look into it.",
]

VISIT_NOTES_IN = [
    "{first} came into the {office} office to ask for an update. Explained it is still being looked into. "
    "{mood}",
]

PHONE_NOTES_IN = [
    "{first} rang for an update. Explained the {kind} is still being looked into and that we'll be in touch. "
    "{mood}",
    "{first} called to add that the problem is still happening. Added to the case. {mood}",
]

# --- the complaint process ------------------------------------------------------------------------------
# What advisers record as a complaint moves through its regime: evidence, root causes, options, reasons.
# Evidence: (kind, description, source), by category.

EVIDENCE = {
    "Current account": [
        (
            "record",
            "Account statement for the month in question, showing every debit and credit",
            "Core banking",
        ),
        ("record", "Payment processing log for the transactions the customer queried", "Payments operations"),
        ("call", "Recording of the customer's first call to the contact centre", "Telephony"),
    ],
    "Credit card": [
        (
            "record",
            "Card statements and the fee and interest history for the last six months",
            "Card platform",
        ),
        ("document", "Emails from the retailer, forwarded by the customer", "Customer"),
        ("call", "Notes and recordings of the customer's earlier calls", "Contact centre"),
    ],
    "Mortgage": [
        ("record", "Mortgage account history, including the product-switch request", "Mortgage servicing"),
        ("document", "Copies of the letters we sent the customer", "Document archive"),
        ("call", "Recordings of the calls on the dates the customer gave", "Telephony"),
    ],
    "Repairs": [
        ("photo", "Photos of the problem sent in by the resident", "Resident"),
        ("record", "Repair job history for the property", "Repairs system"),
        ("statement", "Report from the contractor's last visit", "Contractor"),
    ],
    "Rent and service charges": [
        ("record", "Rent and service charge account for the last twelve months", "Housing management"),
        ("document", "Contractor's cleaning schedule and sign-off sheets", "Contractor"),
        ("document", "Bank statement sent in by the resident", "Resident"),
    ],
    "Anti-social behaviour": [
        ("document", "Incident diary kept by the resident, with dates and times", "Resident"),
        ("record", "Anti-social behaviour case file and the officer's notes", "ASB case system"),
        ("statement", "Statement from a neighbour who witnessed two of the incidents", "Witness"),
    ],
    "Billing": [
        ("record", "Billing history and the payments we received", "Billing system"),
        ("document", "Letters from the debt collection agency, sent in by the customer", "Customer"),
        ("record", "Account notes from the billing team", "CRM"),
    ],
    "Energy supply": [
        ("record", "Meter readings and bill history for the supply", "Billing system"),
        ("photo", "Photo of the meter showing the current reading", "Customer"),
        ("record", "Industry switching records for the supply point", "Industry data"),
    ],
    "Broadband": [
        ("record", "Line test results and the fault history for the connection", "Network diagnostics"),
        ("record", "Engineer appointment log", "Field service"),
        ("document", "Contract and the price change notice we sent", "Document archive"),
    ],
    "Delivery": [
        ("photo", "Driver's proof-of-delivery photo", "Courier"),
        ("record", "Tracking history for the parcel", "Courier portal"),
        ("statement", "The driver's account of the delivery", "Courier"),
    ],
    "Refund": [
        ("record", "Returns log and the refund request", "Order system"),
        ("document", "Proof of postage sent in by the customer", "Customer"),
        ("record", "Refund approval queue history", "Finance"),
    ],
}
EVIDENCE_REVIEW = [
    ("statement", "Account from the adviser who handled the complaint at stage 1", "Internal"),
    ("record", "The stage 1 case file, reviewed by a manager not involved before", "Internal"),
]

# Root-cause codes (process migration 0002's taxonomy) that fit each category, most likely first.
ROOT_CAUSES = {
    "Current account": ["system-fault", "process-failure", "staff-error", "data-error"],
    "Credit card": ["charges", "process-failure", "unclear-information", "not-kept-informed"],
    "Mortgage": ["delay", "process-failure", "handoff", "policy-unclear"],
    "Repairs": ["contractor", "delay", "handoff", "promise-broken"],
    "Rent and service charges": ["data-error", "contractor", "unclear-information", "charges"],
    "Anti-social behaviour": ["not-kept-informed", "process-failure", "training-gap", "policy-unclear"],
    "Billing": ["data-error", "system-fault", "handoff", "charges"],
    "Energy supply": ["data-error", "charges", "system-fault", "process-failure"],
    "Broadband": ["external-event", "contractor", "not-kept-informed", "charges"],
    "Delivery": ["contractor", "staff-behaviour", "training-gap"],
    "Refund": ["delay", "promise-broken", "policy-unclear", "process-failure"],
}

# What the check-back summary says the complaint has cost the customer, by the category's impacts list.
IMPACT_SUMMARIES = {
    "money": [
        "It has left you out of pocket and you have had to chase us several times.",
        "You have had bank charges as a result and it has made budgeting difficult.",
        "It has caused you worry about money and taken a lot of your time.",
    ],
    "home": [
        "It has made your home uncomfortable to live in and affected your family's sleep.",
        "Some of your belongings have been damaged and you are worried about your health.",
        "You have had to take time off work to wait in for visits that did not happen.",
    ],
    "service": [
        "You have lost hours trying to sort it out and had to take time off work.",
        "It has been very inconvenient and you feel nobody has taken responsibility.",
    ],
}

FACTS = [
    "{who} told us: \u201c{happened}\u201d We checked {source} and spoke to the team involved.",
    "We looked at {source} and the notes on the account. {who} first raised this {when}.",
]
REASONING = {
    "justified": [
        "Our records confirm what {first} told us. {cause} We did not meet the standard we set ourselves, "
        "so the complaint is justified.",
        "The evidence supports {first}'s account in full. {cause} We should have put this right the first "
        "time it was raised.",
    ],
    "partly_justified": [
        "Part of what {first} told us is right: {cause_lower} But some of the delay was outside our control, "
        "so we find the complaint partly justified.",
        "We got some things wrong ({cause_lower_trim}), but the main decision was correct under our policy, "
        "so the complaint is partly justified.",
    ],
    "not_justified": [
        "Our records show we followed the correct process and gave the right information. We understand why "
        "{first} is unhappy, but the complaint is not justified.",
        "Having checked everything, the charge and the way it was applied were correct and explained in "
        "advance. The complaint is not justified.",
    ],
}
# The same reasons as the customer reads them in our letters (Finding.customer_explanation): to them, about
# what happened to them, without the internal shorthand; one for each REASONING above, in the same order.
EXPLANATIONS = {
    "justified": [
        "Our records confirm what you told us. {cause} We did not meet the standard we set ourselves, and we should have put this right sooner.",
        "We have checked everything you told us and it is right. {cause} We should have put this right the first time you raised it.",
    ],
    "partly_justified": [
        "Part of what you told us is right: {cause_lower} Some of the delay, though, was outside our control, so we have upheld part of your complaint.",
        "We got some things wrong ({cause_lower_trim}), but the main decision was the right one under our policy, so we have upheld part of your complaint.",
    ],
    "not_justified": [
        "We have checked our records carefully. We followed the correct process and gave you the right information, so we have not upheld your complaint, although we understand why you are unhappy.",
        "Having checked everything, the charge was correct and the way we applied it was explained to you in advance, so we have not upheld your complaint.",
    ],
}
# Why it went wrong, in words, for each root cause (used in the reasoning).
CAUSE_WORDS = {
    "staff-error": "A member of staff made a mistake when processing the request.",
    "staff-behaviour": "The way our representative spoke to the customer fell short of what we expect.",
    "training-gap": "The adviser had not been trained on this situation.",
    "policy-unclear": "Our policy did not make clear what should happen in this situation.",
    "process-failure": "Our process was not followed.",
    "handoff": "The request was passed between two teams and neither took ownership.",
    "delay": "A backlog meant the request sat untouched for too long.",
    "system-fault": "A system fault caused the error and nobody spotted it.",
    "data-error": "We held the wrong details on the account.",
    "unclear-information": "The information we gave was unclear.",
    "not-kept-informed": "We did not keep the customer informed as we had promised.",
    "promise-broken": "We promised to act by a date and did not.",
    "product-design": "The way the product works caused the problem.",
    "charges": "The charge should not have been applied.",
    "contractor": "Our contractor did not do what we asked of them.",
    "external-event": "An event outside our control caused the problem, but we were slow to respond to it.",
}

# The causes as the customer is told them (used in EXPLANATIONS).
CAUSE_WORDS_FOR_CUSTOMER = {
    "staff-error": "A member of our staff made a mistake when dealing with your request.",
    "staff-behaviour": "The way we spoke to you fell short of what we expect of ourselves.",
    "training-gap": "The person you spoke to had not been trained for this situation.",
    "policy-unclear": "Our policy did not make clear what should happen in your situation.",
    "process-failure": "We did not follow our own process.",
    "handoff": "Your request was passed between two of our teams and neither took charge of it.",
    "delay": "We had a backlog, and your request waited far too long.",
    "system-fault": "A fault in our systems caused the error, and we did not spot it.",
    "data-error": "We held the wrong details on your account.",
    "unclear-information": "The information we gave you was unclear.",
    "not-kept-informed": "We did not keep you informed as we had promised.",
    "promise-broken": "We promised to act by a date and did not.",
    "product-design": "The way our product works caused the problem.",
    "charges": "The charge should not have been applied.",
    "contractor": "Our contractor did not do what we asked of them.",
    "external-event": "Something outside our control caused the problem, but we were slow to respond to it.",
}

# Options: titles by remedy type ({money} is the amount in words, {outcome} the customer's wish).
OPTION_TITLES = {
    "refund": ["Refund {money} in full", "Refund {money} and apologise"],
    "fee_waiver": ["Waive {money} in charges", "Remove the {money} in fees from the account"],
    "goodwill": [
        "Goodwill payment of {money} for the inconvenience",
        "Apologise and pay {money} as goodwill",
    ],
    "compensation": [
        "Compensation of {money} for the distress and inconvenience",
        "Pay {money} compensation for the time and trouble",
    ],
    "put_right": ["{outcome}"],
    "apology": ["Apologise in writing and explain what went wrong"],
    "explanation": ["Explain our decision and the evidence behind it"],
    "service_change": ["Change {process} so this does not happen again"],
}
PROCESSES = {
    "Repairs": "the way we book and confirm repair appointments",
    "Rent and service charges": "how we check contractors' work before charging for it",
    "Anti-social behaviour": "how we tell residents when an ASB case is closed",
    "Delivery": "the courier's safe-place instructions",
    "Broadband": "how we tell customers about engineer visits",
    "Billing": "the checks before an account is passed to debt collectors",
}
OPTION_SIDES = {
    # remedy: (benefit to customer, drawback to customer, benefit to organisation, drawback to organisation)
    "refund": (
        "Gets back the money they should not have paid",
        "Does not recognise the time spent chasing",
        "Puts the error right quickly and closes the complaint",
        "Cost of the refund",
    ),
    "fee_waiver": (
        "Charges removed; the account is back where it should be",
        "Nothing for the inconvenience",
        "Low cost and quick to do",
        "Revenue from the charges is lost",
    ),
    "goodwill": (
        "Recognises the inconvenience",
        "A small amount next to the trouble caused",
        "Shows we take it seriously; keeps the relationship",
        "Sets an expectation for similar cases",
    ),
    "compensation": (
        "Recognises the distress and time lost",
        "Money does not fix the underlying problem on its own",
        "Likely to resolve it without the ombudsman",
        "Highest cost of the options",
    ),
    "put_right": (
        "The actual problem gets fixed",
        "Takes time to arrange",
        "Stops repeat contacts about the same problem",
        "Contractor or staff time",
    ),
    "apology": (
        "An acknowledgement that we got it wrong",
        "Nothing practical changes for them",
        "No cost",
        "Customer may feel it is not enough and take it further",
    ),
    "explanation": (
        "Understands why we reached our decision",
        "Does not get the outcome they wanted",
        "Consistent with our policy and the evidence",
        "Customer may refer it to the ombudsman",
    ),
    "service_change": (
        "Knows it will not happen to them again",
        "No direct remedy for what already happened",
        "Fixes the root cause for every customer",
        "Needs a manager to agree and time to implement",
    ),
}

APPROVAL_REASONS = [
    "Above my limit for this remedy; the evidence supports the full amount",
    "Beyond my authority: the customer's losses are documented and the amount is proportionate",
    "Needs a team leader's agreement under our authority limits",
]
APPROVE_REASONS = [
    "Agreed: proportionate to the losses shown",
    "Approved; evidence is clear and it is in line with similar cases",
    "Approved. Please make sure the payment goes out this week",
]
DECLINE_REASONS = [
    "Not agreed: the losses are not evidenced; offer the refund of the charges instead",
    "Declined; too high for what happened. Offer the lower option",
]
CHOOSE_REASONS = [
    "Puts the customer back where they should have been",
    "Best balance of fairness to the customer and cost to us",
    "What the customer asked for, and supported by the evidence",
    "Proportionate to what went wrong",
]

OUTSTANDING_NONE = "None: everything we have agreed to do has been done."
OUTSTANDING = [
    "We will {action} by {date}.",
    "Still to do: we will {action} by {date}, and let you know when it is done.",
]
# What is still to be done after a response, by category, or by the category's kind of impact.
PROMISE_ACTIONS = {
    "Repairs": ["complete the repair", "send the surveyor's report", "confirm the contractor's return visit"],
    "Anti-social behaviour": [
        "send you your named officer's contact details",
        "write to you with the outcome of the case review",
    ],
    "Rent and service charges": ["send you a corrected statement", "credit your rent account"],
    "money": ["pay the refund into your account", "send you a corrected statement", "pay the agreed amount"],
    "home": ["write to you with the next steps"],
    "service": ["send you written confirmation", "pay the agreed credit", "confirm the rebooked date"],
}
# "What happens next" in a response letter (the process prefills the response date there otherwise).
NEXT_AFTER_RESPONSE = {
    "stage1": (
        "If you tell us you are not happy with this response, we will take your complaint to stage 2: we will "
        "acknowledge that within 5 working days and send our stage 2 response within 20 working days."
    ),
    "final": "Unless you tell us you are not happy with this response, we will close your complaint in 14 days.",
}
PROMISES_CALL = [
    "Call {first} back with an update",
    "Phone {first} to go through what we have found so far",
    "Email {first} an update on the investigation",
]

EXTENSION_REASONS = {
    "hos-2024": [
        "We are waiting for the contractor's report on the cause, which we need before we can respond.",
        "The surveyor's inspection could not be booked before the original date.",
    ],
    "fca-psd": [
        "The card scheme has not yet returned the transaction records we asked for, which is outside our "
        "control.",
    ],
    "internal-iso10002": [
        "We are waiting for the courier's investigation report.",
        "We need information from a supplier before we can give you a full answer.",
    ],
}

ANSWER_ACCEPTED = [
    "Customer called to say they accept the response.",
    "Customer replied to thank us and accept the outcome.",
    "Accepted when we spoke on the phone.",
]
ANSWER_REFUSED = [
    "Customer does not accept the response: feels the amount offered does not reflect the trouble caused.",
    "Customer says the main point of the complaint has not been dealt with.",
    "Customer does not accept the outcome and wants it looked at again.",
]
SATISFACTION = {
    "satisfied": ["Happy with how it was handled.", "Pleased it was sorted and thanked the adviser.", ""],
    "partly": ["Glad it is sorted, but it took too long.", "Happy with the outcome, not with the delays."],
    "not_satisfied": ["Still unhappy with the outcome.", "Feels nobody listened until they complained."],
    "no_reply": ["Tried twice by phone and once by email; no reply."],
}
ESCALATION_REASONS = [
    "Resident does not accept the stage 1 response and has asked for a stage 2 review",
    "Resident says the repair has not held and asked to escalate",
    "Resident unhappy with the remedy offered at stage 1",
]
REFERRAL_REASONS = [
    "Customer told us they have referred the complaint to {body}",
    "Customer has taken the complaint to {body}; case file prepared for them",
]
CLOSE_REASONS_PROCESS = {
    "accepted": [
        "Response accepted and satisfaction checked",
        "Customer accepted the outcome; remedy paid",
    ],
    "referred": ["Final response issued; the customer has referred it to {body}"],
    "not_accepted": [
        "Final response issued; referral rights given",
        "Customer does not accept our response; our final position has been explained",
    ],
}

# Prescribed wording the compliance team owns. The demo never invents it: it puts in these labelled
# placeholders so that FCA letters can be shown as sent, and says so on every letter that uses them.
DEMO_BLOCKS = {
    "fca.disp1.annex3.waiver": (
        "[Demo text: the organisation's compliance team replaces this with the exact wording of DISP 1 "
        "Annex 3R. This placeholder is not the regulator's wording.]"
    ),
    "fca.fos.leaflet": (
        "[Demo text: the organisation's compliance team replaces this with the sentence telling the customer "
        "that the Financial Ombudsman Service's explanatory leaflet is enclosed. This placeholder is not the "
        "regulator's wording.]"
    ),
}

# --- a problem resolved step by step (WM57 5-8, 10-11, 14) ---------------------------------------------------
# The goodwill that goes with putting a problem right: within an adviser's own authority (£50).
PROBLEM_GOODWILL = [15, 20, 25, 30, 40, 50]
PROBLEM_OPTION_SIDES = {
    "fix": (
        "The problem is put right, with something for the trouble it caused",
        "Takes a few days to arrange",
        "Stops repeat contacts about the same problem",
        "Staff time and a small payment",
    ),
    "explain": (
        "A clear explanation of what happened and what they can do",
        "Does not change what happened",
        "Quick, and costs nothing",
        "The customer may not feel it is enough",
    ),
}
AGREEMENT_NOTES = [
    "Happy with that; asked to be told when it is done.",
    "Agreed, as long as it is sorted this week.",
    "Agreed on the call; prefers updates by email.",
    "",
]
TASK_DONE_NOTES = ["Done and checked", "Done; the customer was told", "", "Completed the same day"]
# Who agreed, when it was not the customer themselves (WM57 10: who agreed, how, when).
AGREED_FOR = ["{name}'s partner, on their behalf", "{name}'s son, with their authority"]

# What the demo's assessor saw of the work on a case, by the steps it shows (the standards' criteria).
OBSERVATIONS = {
    "problem": [
        (
            ["WM57 1", "WM57 7", "WM57 10", "CFACSC4 P13"],
            "Checked the problem back with {first} before offering anything, weighed the options for both "
            "sides on the case, and agreed the way forward with {first} in plain words.",
        ),
        (
            ["WM57 11", "WM57 12", "WM57 14"],
            "Set out who would do what and by when, kept {first} told as it was done, and checked {first} was "
            "satisfied before closing.",
        ),
    ],
    "complaint": [
        (
            ["CFACSC7 4", "CFACSC7 5", "CFACSC4 P10"],
            "Summarised {first}'s complaint back to them and had it confirmed before investigating; the "
            "finding rests on the evidence recorded.",
        ),
        (
            ["CFACSC7 6", "CFACSC7 7", "WM57 7"],
            "Weighed each option's benefits, drawbacks and risks for {first} and for us, and gave a reason for "
            "the one chosen.",
        ),
    ],
}

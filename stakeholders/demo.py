"""The demo community that `manage.py seed_demo` builds: believable, across every sector."""

DEMO_COMMUNITY = {"name": "Riverside", "slug": "riverside", "timezone": "America/Vancouver"}

# sector key -> organizations in that sector
ORGANIZATIONS = {
    "experiential": ["Peers Riverside", "Night Voices Collective"],
    "sex-worker-services": ["Safe Harbour Outreach", "Street Light Drop-in"],
    "law-enforcement": ["Riverside Police Service"],
    "community-policing": ["Eastside Community Policing Centre"],
    "health": ["Riverside Community Health", "Harm Reduction Nurses Network"],
    "municipal-government": ["City of Riverside Social Planning"],
    "provincial-government": ["Provincial Ministry of Public Safety"],
    "neighbourhood": ["Old Mill Neighbourhood House", "Eastside Residents' Council"],
    "residents": ["Riverbank Strata Group"],
    "aboriginal": ["Riverside Friendship Centre", "Sisters of the Four Directions"],
    "business": ["Riverside Business Association", "Main Street Merchants"],
    "youth": ["Youth Options Riverside", "Riverside Youth Shelter", "Safe Teens Project"],
}

# username suffix, display name, role, sector key, organization (None: independent member)
DEMO_LOGINS = [
    (
        "admin",
        "Dana (administrator)",
        "administrator",
        "municipal-government",
        "City of Riverside Social Planning",
    ),
    ("coordinator", "Sam Rivera", "coordinator", "sex-worker-services", "Safe Harbour Outreach"),
    ("experiential", "Jade", "member", "experiential", "Peers Riverside"),
    ("police", "Sgt. Alex Chen", "member", "law-enforcement", "Riverside Police Service"),
    ("resident", "Marguerite Lavoie", "member", "residents", None),
    ("business", "Priya Natarajan", "member", "business", "Riverside Business Association"),
    ("health", "Dr. Omar Haddad", "member", "health", "Riverside Community Health"),
]

# More committee members and guests, so that the committee looks like a real one.
OTHER_PEOPLE = [
    ("Rosa", "experiential", "Night Voices Collective"),
    ("Kit", "experiential", None),
    ("Lena Park", "sex-worker-services", "Street Light Drop-in"),
    ("Tom Okafor", "sex-worker-services", "Safe Harbour Outreach"),
    ("Cst. Maria Lopez", "law-enforcement", "Riverside Police Service"),
    ("Greg Fraser", "community-policing", "Eastside Community Policing Centre"),
    ("Ines Duarte", "community-policing", "Eastside Community Policing Centre"),
    ("Nurse Beth Wong", "health", "Harm Reduction Nurses Network"),
    ("Aaron Blake", "municipal-government", "City of Riverside Social Planning"),
    ("Councillor June Harper", "municipal-government", None),
    ("Victor Singh", "provincial-government", "Provincial Ministry of Public Safety"),
    ("Claire Dubois", "provincial-government", "Provincial Ministry of Public Safety"),
    ("Hannah Kowalski", "neighbourhood", "Old Mill Neighbourhood House"),
    ("Pete Morrison", "neighbourhood", "Eastside Residents' Council"),
    ("Linda Chow", "residents", "Riverbank Strata Group"),
    ("Bob Tremblay", "residents", None),
    ("Elder Mary Thunderbird", "aboriginal", "Riverside Friendship Centre"),
    ("Cheryl Littlechild", "aboriginal", "Sisters of the Four Directions"),
    ("Joe Alvarez", "aboriginal", "Riverside Friendship Centre"),
    ("Mei Lin", "business", "Main Street Merchants"),
    ("Frank Russo", "business", "Main Street Merchants"),
    ("Tasha Green", "youth", "Youth Options Riverside"),
    ("Devon Clarke", "youth", "Riverside Youth Shelter"),
    ("Ayesha Rahman", "youth", "Safe Teens Project"),
    ("Nico Santos", "youth", None),
    ("Robin Ellis", "sex-worker-services", "Street Light Drop-in"),
    ("Fatima Noor", "health", "Riverside Community Health"),
    ("Paul Girard", "law-enforcement", "Riverside Police Service"),
    ("Sofia Marino", "neighbourhood", "Old Mill Neighbourhood House"),
    ("Ken Yamamoto", "business", "Riverside Business Association"),
    ("Grace Adeyemi", "municipal-government", "City of Riverside Social Planning"),
    ("Luc Bergeron", "residents", "Riverbank Strata Group"),
    ("Amara Okoye", "youth", "Youth Options Riverside"),
]

# author login, organization, visibility, sectors (keys), body
NOTES = [
    (
        "coordinator",
        "Riverside Police Service",
        "committee",
        [],
        "Their liaison officer comes to every meeting and has asked for the outreach schedule.",
    ),
    (
        "experiential",
        "Riverside Police Service",
        "sectors",
        ["experiential"],
        "Caucus only: two of us were moved along from Eastside last week. Raise at next meeting?",
    ),
    (
        "coordinator",
        "Riverbank Strata Group",
        "coordinators",
        [],
        "Confidential: the strata chair asked for names of outreach workers. We declined.",
    ),
    (
        "health",
        "Safe Harbour Outreach",
        "organization",
        [],
        "Our nurses can join their Tuesday van shift from March.",
    ),
    (
        "business",
        "Main Street Merchants",
        "committee",
        [],
        "They would like to co-host the next community dialogue.",
    ),
]

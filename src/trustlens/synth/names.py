"""Name lists for the synthetic trust: pupils, academies, regions and clusters.

Written for trustlens: common given names and surnames of the communities found in English schools,
combined at random, so no row describes a real person. Academy names are invented compounds
("Wrenholme Primary Academy"). Regions and clusters use North East England place names with their
real DfE local authority codes, so LAESTAB numbers look right.
"""

from __future__ import annotations


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


#: Name pools: group -> (girls' forenames, boys' forenames, surnames).
NAME_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "british": (
        _split(
            "Olivia Amelia Isla Ava Ivy Freya Lily Florence Mia Willow Rosie Sophia Isabella "
            "Grace Daisy Sienna Poppy Elsie Emily Ella Evelyn Phoebe Sofia Evie Charlotte "
            "Harper Millie Matilda Ruby Alice Hannah Chloe Lucy Holly Megan Jessica Lola "
            "Maisie Erin Layla Eliza Imogen Niamh Katie Zara Paige Bethany Tia"
        ),
        _split(
            "Noah Oliver George Arthur Muhammad Leo Harry Oscar Archie Henry Theodore Freddie "
            "Jack Charlie Theo Alfie Jacob Thomas Finley Arlo William Lucas Roman Tommy Isaac "
            "Teddy Alexander Luca Edward James Joshua Albie Elijah Max Mason Reuben Samuel "
            "Daniel Ethan Dylan Logan Kai Riley Callum Ryan Liam Owen Jamie"
        ),
        _split(
            "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson "
            "Evans Walker White Roberts Green Hall Wood Jackson Clarke Patterson Robson "
            "Armstrong Charlton Milburn Dodds Elliott Bell Hutchinson Forster Scott Graham "
            "Turnbull Hedley Heslop Nicholson Atkinson Pearson Reed Dixon Stephenson Carr "
            "Lambert Marshall Harrison Fenwick Ridley Bainbridge Storey Proud Hindmarsh "
            "Gibson Murray Kelly Ward Watson Young Moore Anderson Cooper Hughes Mitchell Shaw "
            "Lee Nixon Rutherford Tait Wake"
        ),
    ),
    "south_asian": (
        _split(
            "Aisha Zainab Maryam Fatima Hafsa Inaaya Aleena Anaya Saanvi Priya Simran Nadia "
            "Amira Sumaya Ayesha Haniya Mehreen Sana Riya Tahmina Nusrat Jannat"
        ),
        _split(
            "Muhammad Ibrahim Yusuf Ayaan Zayn Rayyan Hamza Ali Arjun Aarav Rohan Imran Bilal "
            "Abdullah Hassan Zain Rahim Tanvir Harjot Kabir Arham Musa"
        ),
        _split(
            "Khan Ahmed Hussain Ali Begum Rahman Islam Akhtar Iqbal Mahmood Patel Sharma "
            "Singh Kaur Chowdhury Miah Uddin Malik Bibi Shah Qureshi Anwar Hoque Siddiqui "
            "Gill"
        ),
    ),
    "african": (
        _split(
            "Amara Adaeze Chiamaka Favour Blessing Esther Precious Zainab Ifeoma Abena Ama "
            "Nala Hodan Ayan Deborah Ruth"
        ),
        _split(
            "David Daniel Emmanuel Samuel Joshua Chidi Tobi Kwame Kofi Ayo Tunde Abdi Mohamed "
            "Elijah Caleb Michael"
        ),
        _split(
            "Okafor Adeyemi Mensah Osei Boateng Okonkwo Eze Adebayo Nwosu Owusu Abdi Mohamed "
            "Hassan Mwangi Banda Tesfaye Asante Ogunleye"
        ),
    ),
    "caribbean": (
        _split("Shanice Jada Keisha Tiana Leah Naomi Maya Aaliyah Kayla Zoe"),
        _split("Tyrese Jayden Marcus Andre Nathan Kyle Jordan Isaiah Malik Reuben"),
        _split(
            "Campbell Brown Francis Thomas Grant Powell Clarke Richards Bailey Morgan Lewis Henry"
        ),
    ),
    "east_european": (
        _split(
            "Zuzanna Julia Maja Lena Hanna Natalia Oliwia Emilia Ioana Maria Elena Anastasia "
            "Viktoria Daria Alina Kornelia"
        ),
        _split(
            "Jakub Szymon Filip Kacper Antoni Mikolaj Andrei Luca Matei Ivan Dmytro Artem "
            "Tomas Lukas Mihai Stefan"
        ),
        _split(
            "Nowak Kowalski Wisniewski Wojcik Kaminski Lewandowski Popescu Ionescu Horvath "
            "Novak Petrov Kovalenko Shevchenko Balogh Dvorak Kazlauskas Ozols Tamm"
        ),
    ),
    "arabic": (
        _split("Layla Mariam Noor Yasmin Salma Hala Rania Lina Dania Reem"),
        _split("Omar Ahmad Khalid Yousef Karim Tariq Sami Adam Amir Faris"),
        _split("Haddad Saleh Nasser Mansour Aziz Karimi Rahimi Hamdan Ibrahim Yousif Abbas Jaber"),
    ),
    "chinese": (
        _split("Mei Xinyi Yuxuan Ling Hui Jia Wen Yan"),
        _split("Wei Hao Jun Zihan Yichen Ming Jian Chen"),
        _split("Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Lin Ng"),
    ),
}

#: DfE census ethnicity code -> name pool (mixed heritage draws from the British pool).
ETHNICITY_POOL = {
    "WBRI": "british",
    "WIRI": "british",
    "WIRT": "british",
    "WROM": "east_european",
    "WOTH": "east_european",
    "MWBC": "caribbean",
    "MWBA": "african",
    "MWAS": "south_asian",
    "MOTH": "british",
    "AIND": "south_asian",
    "APKN": "south_asian",
    "ABAN": "south_asian",
    "AOTH": "south_asian",
    "BCRB": "caribbean",
    "BAFR": "african",
    "BOTH": "african",
    "CHNE": "chinese",
    "OOTH": "arabic",
    "REFU": "british",
    "NOBT": "british",
}
#: Ethnicity mix (code, share) for pupils without and with English as an additional language.
ETHNICITY_NOT_EAL = (
    ("WBRI", 0.855),
    ("WIRI", 0.004),
    ("WIRT", 0.003),
    ("WOTH", 0.015),
    ("MWBC", 0.02),
    ("MWBA", 0.01),
    ("MWAS", 0.01),
    ("MOTH", 0.015),
    ("BCRB", 0.008),
    ("BAFR", 0.01),
    ("AIND", 0.008),
    ("APKN", 0.01),
    ("CHNE", 0.002),
    ("REFU", 0.02),
    ("NOBT", 0.01),
)
ETHNICITY_EAL = (
    ("WOTH", 0.22),
    ("WROM", 0.03),
    ("APKN", 0.13),
    ("ABAN", 0.11),
    ("AIND", 0.07),
    ("AOTH", 0.06),
    ("BAFR", 0.15),
    ("BOTH", 0.03),
    ("OOTH", 0.09),
    ("CHNE", 0.04),
    ("MOTH", 0.03),
    ("REFU", 0.02),
    ("WBRI", 0.02),
)

#: Invented academy names: first part + second part.
NAME_FIRST = (
    "Alder",
    "Ash",
    "Beck",
    "Birch",
    "Bram",
    "Brack",
    "Burn",
    "Carr",
    "Cold",
    "Crag",
    "Elm",
    "Fell",
    "Fern",
    "Gill",
    "Hazel",
    "Heath",
    "Holly",
    "Hollin",
    "Kirk",
    "Lark",
    "Marl",
    "Moor",
    "Oak",
    "Rowan",
    "Rush",
    "Sand",
    "Thorn",
    "Whin",
    "Wren",
    "Yew",
    "Bell",
    "Cleve",
    "Heron",
    "Linden",
    "Maple",
    "Otter",
    "Sedge",
    "Swale",
    "Teal",
    "Willow",
)
NAME_SECOND = (
    "field",
    "wood",
    "ridge",
    "side",
    "ton",
    "by",
    "holme",
    "gate",
    "ley",
    "burn",
    "dene",
    "mere",
    "worth",
    "croft",
    "brook",
    "hurst",
    "stead",
    "well",
)
PRIMARY_SUFFIXES = ("Primary Academy", "Primary School", "Academy", "Community Primary School")
SECONDARY_SUFFIXES = ("Academy", "School", "High School", "Community Academy")

#: Regions of the trust: name -> clusters (name, DfE LA code).
REGIONS: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = (
    (
        "Tyne and Wear",
        (("Newcastle", 391), ("North Tyneside", 392), ("Gateshead", 390), ("Sunderland", 394)),
    ),
    (
        "County Durham",
        (("Durham City", 840), ("Darlington", 841), ("Derwentside", 840), ("Durham Coast", 840)),
    ),
    (
        "Tees Valley",
        (("Stockton", 808), ("Middlesbrough", 806), ("Hartlepool", 805), ("Redcar", 807)),
    ),
)

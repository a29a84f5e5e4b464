"""Allowed values for interventions: programme types (EEF Teaching and Learning Toolkit strands),
terms, how an evaluation's comparison group was drawn and its verdict."""

from django.db import models


class Programme(models.TextChoices):
    """What kind of intervention it is; codes are the ``programme`` column of interventions.csv."""

    PHONICS = "phonics", "Phonics programme"
    READING = "reading", "Reading comprehension"
    READING_FLUENCY = "reading_fluency", "Reading fluency"
    ORAL_LANGUAGE = "oral_language", "Oral language"
    MATHS_MASTERY = "maths_mastery", "Maths mastery"
    TUTORING = "tutoring", "Small-group tutoring"
    ONE_TO_ONE = "one_to_one", "One-to-one tuition"
    TA_INTERVENTION = "ta_intervention", "Teaching assistant intervention"
    CATCH_UP = "catch_up", "Catch-up withdrawal teaching"
    METACOGNITION = "metacognition", "Metacognition and self-regulation"
    FEEDBACK = "feedback", "Feedback"
    HOMEWORK = "homework", "Homework"
    MENTORING = "mentoring", "Mentoring"
    BEHAVIOUR = "behaviour", "Behaviour"
    ATTENDANCE = "attendance", "Attendance"
    PARENTAL = "parental_engagement", "Parental engagement"
    SOCIAL_EMOTIONAL = "social_emotional", "Social and emotional learning"
    OTHER = "other", "Other"


class Comparison(models.TextChoices):
    """Where the comparison group came from."""

    TRUST = "trust", "Non-participants across the trust"
    NON_USERS = "non_users", "Pupils in academies that do not use this programme"


class Verdict(models.TextChoices):
    POSITIVE = "positive", "Positive: interval above zero"
    NEGATIVE = "negative", "Negative: interval below zero"
    UNCLEAR = "unclear", "Unclear: interval includes zero"
    NOT_EVALUATED = "not_evaluated", "Not evaluated"


class PupilSource(models.TextChoices):
    FILTER = "filter", "Picked by filter"
    LIST = "list", "Pasted list of pupil ids"
    IMPORT = "import", "Imported (intervention_pupils.csv)"


#: Pupil groups the library can be filtered by (keys of an evaluation's pupil_groups).
PUPIL_GROUPS = (
    ("", "All participants"),
    ("disadvantaged", "Disadvantaged pupils"),
    ("not_disadvantaged", "Other pupils (not disadvantaged)"),
    ("sen", "Pupils with SEN"),
    ("eal", "Pupils with English as an additional language"),
    ("girls", "Girls"),
    ("boys", "Boys"),
)

"""The shapes of values staff write (ids, times, addresses, file names), shared by the schema
(schema.py, with pydantic) and the checks that run without it (references.py)."""

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_MAX = 80  # an id is a folder name in the URL: readable, and far below what file systems allow
TIME_PATTERN = r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$"
URL_PATTERN = r"^https?://[^\s/?#]+\.[^\s]*$"
FILE_PATTERN = r"^files/[^\s\\]+$"
LANGUAGE_PATTERN = r"^[a-z]{2,3}$"
REPOSITORY_PATTERN = r"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$"  # a GitHub OWNER/REPO
DURATION_UNITS = ("minutes", "hours", "days", "working_days")
TENANT_TYPES = ("perangkat-daerah", "instansi-vertikal", "bumn", "bumd", "bank", "lainnya")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_LANGUAGES = ("id", "en")

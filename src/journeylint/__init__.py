"""journeylint: a linter for customer-support journeys."""

__version__ = "0.1.0"

#: where the rule pages of this version are published (SARIF helpUri, HTML links)
DOCS_URL = "https://github.com/journeylint/journeylint/blob/main/rules/"

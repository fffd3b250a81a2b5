"""The HTML report, effort metrics and diagram export."""

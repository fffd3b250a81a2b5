# The rule pages and profiles, shipped inside the package as journeylint.catalogue.

"""Importers: contact-centre flow exports -> journey YAML."""

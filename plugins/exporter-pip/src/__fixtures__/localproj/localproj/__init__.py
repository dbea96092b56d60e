"""A local project for the pip exporter tests."""

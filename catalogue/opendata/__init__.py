"""All published data is open: the CSV format (codecs, columns) shared by the export and the import, a case's
snapshot and JSON record shared by the exports and the API, schema.org JSON-LD, the Atom feed and the sitemap."""

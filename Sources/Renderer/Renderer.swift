// The Markdown report renderer lives here.

"""The managers' review pages: years, runs and letters, with their forms, tables, filters and URLs."""

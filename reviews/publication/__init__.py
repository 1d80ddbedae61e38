"""Publishing a review year in one step: the checklist, publication, withdrawal and the changelog."""

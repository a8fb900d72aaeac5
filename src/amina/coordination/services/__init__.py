"""Use cases of coordination; every write in the app goes through these modules."""

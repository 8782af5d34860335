"""A customer message the app's signals tests share."""

ANGRY = (
    "This is the third time I have called and you still haven't fixed my boiler. Absolutely disgraceful "
    "service, I am furious. If it isn't sorted today I'm going to the ombudsman and my solicitor."
)

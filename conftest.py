from hypothesis import settings

pytest_plugins = ["keepsafe.testing.fixtures"]

# No per-example deadline: speed belongs in bench/, never in a timed unit test, and a 200 ms deadline fails property
# tests at random on a loaded two-core CI machine (a try-out saw one fail under load and pass four times after).
settings.register_profile("keepsafe", deadline=None)
settings.load_profile("keepsafe")

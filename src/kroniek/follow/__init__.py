"""Following the news: polling feeds (watch.py) and alerts on saved queries (alerts.py); commands in cli.py."""

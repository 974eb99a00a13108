"""Annotation: span groups (sentences, dates, quantities, casualties, places, actors, persons, triggers, cues,
weapons, targets) as character offsets into the article text. `article.annotate_article` runs them all."""

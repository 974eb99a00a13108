// The vocabulary every record uses, read from /api/ontology (data/ontology.toml on the server): the event types in
// display order with their colours and English/Dutch labels, their subtypes, the modalities and their labels, the
// relations, roles and weapons. The dashboard keeps no list of its own, so a type added to the ontology shows up
// in the filters, the legend, the map and the timeline without touching this code.

import {setVocabulary} from "./i18n.js";

const UNKNOWN_COLOUR = "#6b7682";   // a type the ontology does not know (an older database): grey, never a type's colour
let vocabulary = {types: [], modalities: [], relations: [], roles: [], weapons: []};
let colours = new Map();

/** Fetch the ontology once and hand its labels to i18n (types and modalities are labelled there, not in i18n/). */
export async function loadOntology() {
  const response = await fetch("/api/ontology", {headers: {Accept: "application/json"}});
  if (!response.ok) throw new Error(`ontology: HTTP ${response.status}`);
  vocabulary = await response.json();
  colours = new Map(vocabulary.types.map((type) => [type.name, type.colour]));
  setVocabulary("types", Object.fromEntries(vocabulary.types.map((type) => [type.name, type.label])));
  setVocabulary("modalities", Object.fromEntries(vocabulary.modalities.map((m) => [m.name, m.label])));
  return vocabulary;
}

/** Type names in the ontology's display order. */
export function typeNames() {
  return vocabulary.types.map((type) => type.name);
}

/** ACLED's event types, each followed by its sub-event types (codebook names, the codebook's order). */
export function acledNames() {
  return (vocabulary.acled || []).flatMap((group) => [group.event_type, ...group.sub_event_types]);
}

export function acledEventTypes() {
  return (vocabulary.acled || []).map((group) => group.event_type);
}

export function modalityNames() {
  return vocabulary.modalities.map((modality) => modality.name);
}

export function typeColour(type) {
  return colours.get(type) || UNKNOWN_COLOUR;
}

/** Names in the ontology's order first, then any others (a type of an older database) in their own order. */
export function inTypeOrder(names) {
  const known = typeNames().filter((name) => names.includes(name));
  return known.concat(names.filter((name) => !known.includes(name)));
}

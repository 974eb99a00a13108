// The API's own documentation page, drawn from /api/openapi.json (FastAPI's Swagger UI would load its
// scripts from a CDN, and nothing here may come from the internet).

import {el} from "./dom.js";

function schemaText(schema) {
  if (!schema) return "";
  if (schema.anyOf) return schema.anyOf.map(schemaText).filter((s) => s !== "null").join(" | ");
  if (schema.enum) return schema.enum.join(" | ");
  let text = schema.type || (schema.$ref ? schema.$ref.split("/").pop() : "");
  if (schema.format) text += ` (${schema.format})`;
  return text;
}

function parameterTable(parameters) {
  return el("table", {},
    el("thead", {}, el("tr", {},
      ["name", "in", "type", "default", "description"].map((h) => el("th", {scope: "col", text: h})))),
    el("tbody", {}, parameters.map((p) => el("tr", {},
      el("td", {}, el("code", {text: p.name}), p.required ? " *" : ""),
      el("td", {text: p.in}),
      el("td", {text: schemaText(p.schema)}),
      el("td", {text: p.schema && p.schema.default !== undefined ? JSON.stringify(p.schema.default) : ""}),
      el("td", {text: p.description || (p.schema && p.schema.description) || ""})))));
}

async function start() {
  const spec = await (await fetch("/api/openapi.json")).json();
  const intro = `${spec.info.title} ${spec.info.version}. ${spec.info.description || ""}`;
  document.getElementById("api-intro").textContent = intro;
  const container = document.getElementById("endpoints");
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      container.appendChild(el("section", {class: "panel endpoint"},
        el("h2", {}, el("code", {text: `${method.toUpperCase()} ${path}`})),
        el("p", {}, el("strong", {text: op.summary || ""})),
        op.description ? el("p", {class: "doc-text", text: op.description.replaceAll("``", "")}) : null,
        op.parameters && op.parameters.length ? parameterTable(op.parameters) : null));
    }
  }
}

start();

#include "context/context_json.h"

#include <fmt/format.h>

namespace dfplay::context {
namespace {

using json = nlohmann::json;

std::string octal(uint32_t mode) { return fmt::format("{:04o}", mode); }

json diag_json(const Diagnostic& d) {
  return {{"severity", severity_name(d.severity)},
          {"code", d.code},
          {"message", d.message},
          {"line", d.range.begin.line},
          {"column", d.range.begin.column}};
}

json diags_json(const Diagnostics& ds) {
  json out = json::array();
  for (const auto& d : ds) out.push_back(diag_json(d));
  return out;
}

json entry_json(const BuildContext& ctx, uint32_t i) {
  json e = {{"path", ctx.path(i)}, {"type", entry_type_name(ctx.type(i))}, {"mode", octal(ctx.mode(i))}};
  if (ctx.is_file(i)) {
    e["size"] = ctx.file_size(i);
    e["digest"] = ctx.digest(i).hex();
  } else if (ctx.is_symlink(i)) {
    e["symlink"] = ctx.symlink_target(i);
  }
  return e;
}

}  // namespace

json context_to_json(const BuildContext& ctx) {
  json out = json::array();
  for (uint32_t i = 1; i < ctx.size(); ++i) {
    if (ctx.is_dir(i) && ctx.implied(i)) continue;
    json e = {{"path", ctx.path(i)}};
    switch (ctx.type(i)) {
      case EntryType::Dir:
        e["type"] = "dir";
        e["mode"] = octal(ctx.mode(i));
        break;
      case EntryType::Symlink: e["symlink"] = ctx.symlink_target(i); break;
      case EntryType::File:
        if (ctx.has_content(i)) {
          e["content"] = ctx.content(i);
        } else {
          e["size"] = ctx.file_size(i);
          e["hash"] = ctx.hash_text(i).empty() ? "xxh3-128:" + ctx.digest(i).hex() : std::string(ctx.hash_text(i));
        }
        e["mode"] = octal(ctx.mode(i));
        break;
    }
    out.push_back(std::move(e));
  }
  return out;
}

json stats_json(const ContextStats& s) {
  return {{"files", s.files}, {"dirs", s.dirs}, {"symlinks", s.symlinks}, {"bytes", s.bytes}};
}

json filtered_context_json(const FilteredContext& view, size_t max_entries) {
  const BuildContext& ctx = view.context();
  const IgnoreFile* ig = view.ignore();
  json out;
  out["ignore_file"] = ig && !ig->path.empty() ? json(ig->path) : json(nullptr);
  json rules = json::array();
  if (ig)
    for (const auto& r : ig->rules) rules.push_back({{"line", r.line}, {"pattern", r.pattern}, {"text", r.line_text}});
  out["rules"] = std::move(rules);
  out["diagnostics"] = ig ? diags_json(ig->diagnostics) : json::array();
  out["before"] = stats_json(view.before());
  out["after"] = stats_json(view.after());
  json entries = json::array();
  bool truncated = false;
  for (uint32_t i = 1; i < ctx.size(); ++i) {
    if (entries.size() >= max_entries) {
      truncated = true;
      break;
    }
    json e = entry_json(ctx, i);
    e["status"] = visibility_name(view.visibility(i));
    if (const IgnoreRule* r = view.rule(i)) e["rule_line"] = r->line;
    entries.push_back(std::move(e));
  }
  out["entries"] = std::move(entries);
  out["truncated"] = truncated;
  return out;
}

json copy_source_json(const BuildContext& ctx, const CopySource& src, size_t max_items) {
  json out = {{"source", src.source},   {"cleaned", src.cleaned}, {"wildcard", src.wildcard},
              {"escaped", src.escaped}, {"files", src.files},     {"bytes", src.bytes}};
  if (!src.pivot.empty() || !src.pattern.empty()) {
    out["pivot"] = src.pivot;
    out["pattern"] = src.pattern;
  }
  json roots = json::array();
  for (const auto& r : src.roots) roots.push_back({{"path", r.path}, {"dir", r.dir}, {"entry", ctx.path(r.entry)}});
  out["roots"] = std::move(roots);
  json items = json::array();
  bool truncated = false;
  for (const auto& it : src.items) {
    if (items.size() >= max_items) {
      truncated = true;
      break;
    }
    json e = entry_json(ctx, it.entry);
    e["from"] = e["path"];
    e["path"] = src.rel(ctx, it);
    items.push_back(std::move(e));
  }
  out["items"] = std::move(items);
  out["truncated"] = truncated;
  out["diagnostics"] = diags_json(src.diagnostics);
  return out;
}

}  // namespace dfplay::context

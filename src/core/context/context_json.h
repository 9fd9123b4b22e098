// JSON renderings of the context module's results, for the CLI's --json, the JS API and the
// app. Shapes are documented in docs/context.md.
#pragma once
#include <cstddef>
#include <nlohmann/json.hpp>

#include "context/copy_source.h"
#include "context/filter.h"

namespace dfplay::context {

// The list form accepted by context_from_json (a round trip keeps every entry; contents that
// were not kept are written as size + hash).
nlohmann::json context_to_json(const BuildContext& ctx);

nlohmann::json stats_json(const ContextStats& s);

// What BuildKit receives: the ignore file and its rules, before/after totals and every entry
// with its status ("included", "excluded", "parent") and the deciding line. At most
// `max_entries` entries are listed ("truncated": true otherwise).
nlohmann::json filtered_context_json(const FilteredContext& view, size_t max_entries = 10000);

// One resolved COPY/ADD source: roots, items (destination-relative path, context path, type,
// size, mode, digest), totals and diagnostics.
nlohmann::json copy_source_json(const BuildContext& ctx, const CopySource& src, size_t max_items = 10000);

}  // namespace dfplay::context

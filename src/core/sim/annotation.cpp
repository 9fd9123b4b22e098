#include "sim/annotation.h"
#include "syntax/ascii.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <algorithm>
#include <functional>

namespace dfplay::sim {

namespace {


bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Splits "123.5MB" into number and unit; false if it does not start with a number.
bool split_number(std::string_view t, double& value, std::string_view& unit) {
  size_t k = 0;
  bool digits = false;
  while (k < t.size() && (std::isdigit(static_cast<unsigned char>(t[k])) || t[k] == '.')) {
    digits |= t[k] != '.';
    ++k;
  }
  if (!digits) return false;
  std::string num(t.substr(0, k));
  char* end = nullptr;
  value = std::strtod(num.c_str(), &end);
  if (!end || *end != '\0' || !std::isfinite(value)) return false;
  unit = t.substr(k);
  return true;
}

std::optional<double> size_unit(std::string_view unit) {
  std::string u = syntax::ascii_lower(unit);
  if (u.empty() || u == "b" || u == "bytes" || u == "byte") return 1.0;
  if (u == "k" || u == "kb") return 1e3;
  if (u == "m" && unit == "M") return 1e6;
  if (u == "mb") return 1e6;
  if (u == "g" && unit == "G") return 1e9;
  if (u == "gb") return 1e9;
  if (u == "kib") return 1024.0;
  if (u == "mib") return 1024.0 * 1024;
  if (u == "gib") return 1024.0 * 1024 * 1024;
  return std::nullopt;
}

std::optional<double> time_unit(std::string_view unit) {
  std::string u = syntax::ascii_lower(unit);
  if (u == "ms") return 0.001;
  if (u == "s" || u == "sec" || u == "secs") return 1.0;
  if ((u == "m" && unit == "m") || u == "min" || u == "mins") return 60.0;
  if (u == "h") return 3600.0;
  return std::nullopt;
}

}  // namespace

std::optional<uint64_t> parse_size(std::string_view text) {
  text = trim(text);
  double v = 0;
  std::string_view unit;
  if (!split_number(text, v, unit)) return std::nullopt;
  unit = trim(unit);
  auto mul = size_unit(unit);
  if (!mul || v < 0 || v * *mul > 1e18) return std::nullopt;
  return static_cast<uint64_t>(std::llround(v * *mul));
}

std::optional<double> parse_duration(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  double total = 0;
  // A sequence of number+unit ("1m30s"); a single bare number is not a duration.
  while (!text.empty()) {
    double v = 0;
    size_t k = 0;
    while (k < text.size() && (std::isdigit(static_cast<unsigned char>(text[k])) || text[k] == '.')) ++k;
    std::string_view unit;
    if (!split_number(text.substr(0, k), v, unit)) return std::nullopt;
    size_t u = k;
    while (u < text.size() && std::isalpha(static_cast<unsigned char>(text[u]))) ++u;
    auto mul = time_unit(trim(text.substr(k, u - k)));
    if (!mul) return std::nullopt;
    total += v * *mul;
    text = trim(text.substr(u));
  }
  return total;
}

namespace {

struct Token {
  std::string_view text;
  size_t offset;  // within the line body
};

using ErrorFn = std::function<void(size_t offset, size_t length, const std::string& message)>;

// Parses the text after "dfplay:" of one line.
void parse_body(std::string_view body, Annotation& a, const ErrorFn& err) {
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t stop = body.find_first_of(",;", pos);
    if (stop == std::string_view::npos) stop = body.size();
    std::string_view clause = body.substr(pos, stop - pos);
    size_t clause_off = pos;
    pos = stop + 1;
    // Tokens, with "180 MB" / "45 s" joined.
    std::vector<Token> toks;
    size_t k = 0;
    while (k < clause.size()) {
      while (k < clause.size() && is_space(clause[k])) ++k;
      if (k >= clause.size()) break;
      size_t b = k;
      while (k < clause.size() && !is_space(clause[k])) ++k;
      toks.push_back({clause.substr(b, k - b), clause_off + b});
    }
    for (size_t t = 0; t + 1 < toks.size(); ++t) {
      double v;
      std::string_view unit;
      if (split_number(toks[t].text, v, unit) && unit.empty() &&
          (size_unit(toks[t + 1].text) || time_unit(toks[t + 1].text))) {
        // Join: view over the original body from the number to the end of the unit.
        size_t b = toks[t].offset;
        size_t e = toks[t + 1].offset + toks[t + 1].text.size();
        toks[t].text = body.substr(b, e - b);
        toks.erase(toks.begin() + static_cast<long>(t) + 1);
      }
    }
    if (toks.empty()) continue;

    AnnotatedPath* current = nullptr;
    auto value_of = [](std::string_view tok, std::string_view key) -> std::optional<std::string_view> {
      if (tok.size() > key.size() && tok[key.size()] == '=' && syntax::ascii_lower(tok.substr(0, key.size())) == key)
        return tok.substr(key.size() + 1);
      return std::nullopt;
    };
    auto apply_modifier = [&](const Token& tok) -> bool {
      std::string_view t = tok.text;
      if (auto v = value_of(t, "time")) {
        if (auto d = parse_duration(*v)) a.seconds = *d;
        else err(tok.offset, t.size(), fmt::format("annotation: `{}` is not a duration (e.g. 45s, 1m30s)", *v));
        return true;
      }
      if (auto v = value_of(t, "warm")) {
        if (auto d = parse_duration(*v)) a.seconds_warm = *d;
        else err(tok.offset, t.size(), fmt::format("annotation: `{}` is not a duration (e.g. 45s, 1m30s)", *v));
        return true;
      }
      if (auto v = value_of(t, "size")) {
        auto s = parse_size(*v);
        if (!s) err(tok.offset, t.size(), fmt::format("annotation: `{}` is not a size (e.g. 180MB, 2GiB)", *v));
        else if (!current) err(tok.offset, t.size(), "annotation: a size needs a path (adds PATH SIZE)");
        else current->size = *s;
        return true;
      }
      if (auto v = value_of(t, "path")) {
        if (!current) {
          a.paths.push_back({AnnotatedPath::Kind::Add, std::string(*v), std::nullopt, false});
          current = &a.paths.back();
        } else {
          current->path = std::string(*v);
        }
        return true;
      }
      if (auto v = value_of(t, "type")) {
        std::string ty = syntax::ascii_lower(*v);
        if (current && (ty == "file" || ty == "dir" || ty == "directory")) current->file = ty == "file";
        else err(tok.offset, t.size(), "annotation: type is `file` or `dir` and follows a path");
        return true;
      }
      if (auto d = parse_duration(t)) {
        a.seconds = *d;
        return true;
      }
      if (auto s = parse_size(t); s && current) {
        double v;
        std::string_view unit;
        if (split_number(t, v, unit) && !unit.empty()) {  // a bare number is not a size
          current->size = *s;
          return true;
        }
      }
      return false;
    };

    std::string head = syntax::ascii_lower(toks[0].text);
    size_t next = 1;
    if (head == "adds" || head == "add" || head == "creates" || head == "create" || head == "writes" ||
        head == "write" || head == "removes" || head == "remove" || head == "deletes" || head == "delete") {
      bool remove = head[0] == 'r' || head[0] == 'd';
      bool file = head[0] == 'w';
      if (toks.size() < 2 || toks[1].text.find('=') != std::string_view::npos) {
        err(toks[0].offset, toks[0].text.size(), fmt::format("annotation: `{}` needs a path", toks[0].text));
        continue;
      }
      a.paths.push_back({remove ? AnnotatedPath::Kind::Remove : AnnotatedPath::Kind::Add,
                         std::string(toks[1].text), std::nullopt, file});
      current = &a.paths.back();
      next = 2;
    } else if (head == "effect") {
      a.paths.push_back({AnnotatedPath::Kind::Add, "", std::nullopt, false});
      current = &a.paths.back();
      next = 1;
      bool has_path = false;
      for (size_t t = 1; t < toks.size(); ++t)
        if (value_of(toks[t].text, "path")) has_path = true;
      if (!has_path) {
        // `effect time=45s` alone: a modifier, not a path.
        a.paths.pop_back();
        current = nullptr;
      }
    } else if (head == "non-reproducible" || head == "nonreproducible" || head == "non_reproducible" ||
               head == "not-reproducible") {
      a.non_reproducible = true;
    } else if (head == "reproducible") {
      a.reproducible = true;
    } else if (head == "nothing" || head == "none" || head == "no-changes" ||
               (head == "no" && toks.size() > 1 && syntax::ascii_lower(toks[1].text) == "changes")) {
      a.nothing = true;
      next = head == "no" ? 2 : 1;
    } else if (head == "warm" && toks.size() > 1) {
      if (auto d = parse_duration(toks[1].text)) a.seconds_warm = *d;
      else err(toks[1].offset, toks[1].text.size(), fmt::format("annotation: `{}` is not a duration (e.g. 45s, 1m30s)", toks[1].text));
      next = 2;
    } else if (head == "time" && toks.size() > 1 && !value_of(toks[0].text, "time")) {
      if (auto d = parse_duration(toks[1].text)) a.seconds = *d;
      else err(toks[1].offset, toks[1].text.size(), fmt::format("annotation: `{}` is not a duration (e.g. 45s, 1m30s)", toks[1].text));
      next = 2;
    } else {
      next = 0;
      // A clause may continue the previous path: "adds /x, 180MB, 45s".
      if (!a.paths.empty()) current = &a.paths.back();
    }
    for (size_t t = next; t < toks.size(); ++t) {
      if (!apply_modifier(toks[t]))
        err(toks[t].offset, toks[t].text.size(),
            fmt::format("annotation: unknown clause `{}`", toks[t].text));
    }
  }
}

// "dfplay:" prefix (case-insensitive) of a comment text; returns the offset after it or npos.
size_t annotation_prefix(std::string_view text) {
  constexpr std::string_view kPrefix = "dfplay:";
  if (text.size() < kPrefix.size()) return std::string_view::npos;
  if (syntax::ascii_lower(text.substr(0, kPrefix.size())) != kPrefix) return std::string_view::npos;
  return kPrefix.size();
}

}  // namespace

std::optional<Annotation> parse_annotation(const std::vector<std::string>& comments,
                                           std::vector<std::string>* errors) {
  std::optional<Annotation> out;
  for (const auto& c : comments) {
    std::string_view text = trim(c);
    size_t p = annotation_prefix(text);
    if (p == std::string_view::npos) continue;
    if (!out) out.emplace();
    parse_body(text.substr(p), *out, [&](size_t, size_t, const std::string& m) {
      if (errors) errors->push_back(m);
    });
  }
  return out;
}

std::optional<Annotation> find_annotation(std::string_view text, uint32_t instruction_offset,
                                          Diagnostics* diags) {
  if (instruction_offset > text.size()) return std::nullopt;
  // Start of the instruction's line.
  size_t line_start = instruction_offset;
  while (line_start > 0 && text[line_start - 1] != '\n') --line_start;
  struct Line {
    size_t begin;
    std::string_view text;
  };
  std::vector<Line> block;  // comment lines above, nearest first
  size_t cur = line_start;
  while (cur > 0 && block.size() < 64) {
    size_t end = cur - 1;  // the '\n' ending the previous line
    size_t begin = end;
    while (begin > 0 && text[begin - 1] != '\n') --begin;
    std::string_view line = text.substr(begin, end - begin);
    std::string_view t = trim(line);
    if (t.empty() || t.front() != '#') break;
    block.push_back({begin, line});
    cur = begin;
  }
  if (block.empty()) return std::nullopt;
  std::optional<Annotation> out;
  // Line numbers are only computed when an annotation is present (rare), by counting newlines.
  uint32_t top_line = 0;
  for (size_t bi = block.size(); bi-- > 0;) {
    const Line& l = block[bi];
    size_t hash = l.text.find('#');
    std::string_view after = l.text.substr(hash + 1);
    size_t lead = 0;
    while (lead < after.size() && is_space(after[lead])) ++lead;
    std::string_view body = after.substr(lead);
    size_t p = annotation_prefix(body);
    if (p == std::string_view::npos) continue;
    if (top_line == 0) {
      top_line = 1 + static_cast<uint32_t>(
                         std::count(text.begin(), text.begin() + static_cast<long>(block.back().begin), '\n'));
    }
    uint32_t line_no = top_line + static_cast<uint32_t>(block.size() - 1 - bi);
    if (!out) {
      out.emplace();
      out->line = line_no;
    }
    size_t body_off = l.begin + hash + 1 + lead + p;
    parse_body(body.substr(p), *out, [&](size_t off, size_t len, const std::string& m) {
      if (!diags) return;
      Range r;
      size_t b = body_off + off;
      r.begin = Position{line_no, static_cast<uint32_t>(b - l.begin + 1), static_cast<uint32_t>(b)};
      r.end = Position{line_no, static_cast<uint32_t>(b + len - l.begin + 1), static_cast<uint32_t>(b + len)};
      diags->warning(r, "annotation/invalid", m);
    });
  }
  return out;
}

}  // namespace dfplay::sim

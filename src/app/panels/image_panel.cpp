// Image: the estimated final image of the target: sizes (uncompressed, compressed), wasted bytes
// and efficiency, what the multi-stage build saves against the naive single-stage image, the
// layers, the config (user, workdir, env, ports, entrypoint, cmd, healthcheck, labels) and a
// file tree with sizes and the layer each entry came from.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "app.h"
#include "imgui.h"
#include "theme.h"
#include "ui.h"

namespace dfplay::app {
namespace {

// The image's files as a tree (rebuilt when the result changes).
struct Node {
  std::string name;
  bool dir = false, summary = false, estimated = false, symlink = false;
  bool unknown = false;  // produced by an unmodelled step: size unknown
  std::string source;
  uint64_t size = 0;  // files: own size; directories: everything below
  size_t layer = 0;   // 1-based layer index (0 = base or unknown)
  std::string link;
  std::map<std::string, size_t> children;  // name -> index in `tree`
};
std::vector<Node> tree;
uint64_t tree_revision = UINT64_MAX;

void build_tree(const sim::BuildResult& b) {
  Node root;
  root.name = "/";
  root.dir = true;
  tree.assign(1, root);
  for (const auto& f : b.files) {
    size_t cur = 0;
    std::string_view p = f.path;
    while (!p.empty() && p.front() == '/') p.remove_prefix(1);
    while (!p.empty()) {
      auto slash = p.find('/');
      std::string part(p.substr(0, slash));
      p = slash == std::string_view::npos ? std::string_view() : p.substr(slash + 1);
      auto it = tree[cur].children.find(part);
      size_t next;
      if (it == tree[cur].children.end()) {
        next = tree.size();
        tree[cur].children.emplace(part, next);
        Node n;
        n.name = part;
        n.dir = true;  // until the entry itself says otherwise
        tree.push_back(std::move(n));
      } else {
        next = it->second;
      }
      cur = next;
    }
    Node& n = tree[cur];
    n.dir = f.type == sim::NodeType::Dir;
    n.symlink = f.type == sim::NodeType::Symlink;
    n.link = f.link;
    n.layer = f.layer;
    n.summary = f.summary;
    n.estimated = f.estimated;
    n.unknown = f.unknown;
    n.source = f.source;
    if (!n.dir || f.summary) n.size = f.size;  // a summary directory stands for its contents
  }
  // Directory sizes: children have larger indexes than their parents, so one backward pass sums them.
  std::vector<size_t> parent(tree.size(), SIZE_MAX);
  for (size_t i = 0; i < tree.size(); ++i)
    for (const auto& [name, c] : tree[i].children) parent[c] = i;
  for (size_t i = tree.size(); i-- > 1;)
    if (parent[i] != SIZE_MAX) tree[parent[i]].size += tree[i].size;
}

void draw_tree_node(const sim::BuildResult& b, size_t i, int depth, int& budget) {
  if (budget-- <= 0) return;
  const Node& n = tree[i];
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  std::string label = n.name + (n.symlink ? " \xE2\x86\x92 " + n.link : "");
  bool open = false;
  if (n.dir && !n.children.empty()) {
    open = ImGui::TreeNodeEx(label.c_str(), ImGuiTreeNodeFlags_SpanFullWidth | (depth < 2 ? ImGuiTreeNodeFlags_DefaultOpen : 0));
  } else {
    ImGui::TreeNodeEx(label.c_str(), ImGuiTreeNodeFlags_Leaf | ImGuiTreeNodeFlags_NoTreePushOnOpen | ImGuiTreeNodeFlags_SpanFullWidth);
  }
  if (n.unknown && ImGui::IsItemHovered())
    ImGui::SetTooltip("Unknown: %s. Its size and content could not be checked.", n.source.c_str());
  else if (n.summary && ImGui::IsItemHovered())
    ImGui::SetTooltip("A summary entry standing for many files (e.g. node_modules): its size is estimated");
  ImGui::TableNextColumn();
  if (n.unknown && n.size == 0) ImGui::TextColored(theme::kWarning, "unknown");
  else if (n.dir && n.size == 0) ImGui::TextDisabled("-");
  else ImGui::Text("%s%s", ui::bytes(n.size).c_str(), n.estimated || n.summary ? "*" : "");
  ImGui::TableNextColumn();
  if (n.layer > 0 && n.layer <= b.layers.size()) {
    ImGui::TextDisabled("%zu", n.layer);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", b.layers[n.layer - 1].instruction.c_str());
  }
  if (open) {
    for (const auto& [name, c] : n.children) draw_tree_node(b, c, depth + 1, budget);
    ImGui::TreePop();
  }
}

void kv(const char* key, const std::string& value) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextDisabled("%s", key);
  ImGui::TableNextColumn();
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(value.empty() ? "-" : value.c_str());
  ImGui::PopTextWrapPos();
}

std::string join(const std::vector<std::string>& v, const char* sep = " ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string exec_form(const std::vector<std::string>& v) {
  if (v.empty()) return {};
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", \"" : "\"") + v[i] + "\"";
  return out + "]";
}

void draw(AppState& s) {
  const WorkspaceResult& r = s.result();
  const sim::BuildResult& b = *r.build;
  if (b.target >= b.stages.size()) {
    ui::nothing_to_show(r, "No image: the Dockerfile has no stage to build.");
    return;
  }
  const sim::StageResult& target = b.stages[b.target];

  // Sizes.
  ImGui::Text("Final image%s%s", target.label.empty() ? "" : ": stage ", target.label.c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("\xC2\xB7 every figure is an estimate");
  ui::help("Sizes come from the base-image catalog (registry figures) and the simulated layers; "
           "the compressed size applies a typical gzip ratio to the layers. Hover (est.) for sources.");
  ImGui::TextColored(theme::kAccent, "%s", ui::bytes(b.size_bytes).c_str());
  ImGui::SameLine();
  ImGui::TextUnformatted("uncompressed");
  ui::estimated("Base image (catalog) + the size of every layer the simulation produced.");
  ImGui::SameLine(0, ui::em(1));
  ImGui::Text("~%s compressed", ui::bytes(b.compressed_size_bytes).c_str());
  char why[160];
  std::snprintf(why, sizeof why, "Base: its registry (compressed) size from the catalog; layers: uncompressed x %.2f.",
                b.compression_ratio);
  ui::estimated(why);
  ImGui::Text("Wasted %s \xC2\xB7 efficiency %s", ui::bytes(b.wasted_bytes).c_str(), ui::percent(b.efficiency).c_str());
  ui::help("Wasted: bytes of earlier layers that a later layer overwrites or deletes; they still ship. "
           "Efficiency = 1 - wasted / size (as dive reports it).");
  if (!b.ok) ImGui::TextColored(theme::kError, "The real build would fail (see Problems): the image is what the steps before the failure give.");

  // Multi-stage versus the naive single-stage image.
  if (b.single_stage < b.stages.size() && b.single_stage != b.target) {
    const auto& naive = b.stages[b.single_stage];
    double pct = b.single_stage_size_bytes ? 100.0 * static_cast<double>(b.saving_bytes) / static_cast<double>(b.single_stage_size_bytes) : 0;
    char text[320];
    if (b.saving_bytes > 0)
      std::snprintf(text, sizeof text,
                    "Multi-stage saves %s (%.0f%%): the naive single-stage image (shipping stage %s) would be %s (estimated).",
                    ui::bytes(b.saving_bytes).c_str(), pct, naive.label.c_str(), ui::bytes(b.single_stage_size_bytes).c_str());
    else
      std::snprintf(text, sizeof text, "Multi-stage saves nothing here: shipping stage %s would be %s (estimated).",
                    naive.label.c_str(), ui::bytes(b.single_stage_size_bytes).c_str());
    ui::banner("##saving", b.saving_bytes > 0 ? theme::kCached : theme::kWarning, text);
  } else {
    ui::banner("##saving", theme::kDim, "A single-stage build: the image is the stage itself (nothing to compare with).");
  }

  // Layers.
  ImGui::Spacing();
  if (ImGui::CollapsingHeader("Layers", ImGuiTreeNodeFlags_DefaultOpen)) {
    if (ImGui::BeginTable("layers", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_PadOuterX | ImGuiTableFlags_BordersInnerH)) {
      ImGui::TableSetupColumn("#");
      ImGui::TableSetupColumn("instruction", ImGuiTableColumnFlags_WidthStretch);
      ImGui::TableSetupColumn("stage");
      ImGui::TableSetupColumn("size");
      ImGui::TableSetupColumn("wasted");
      ImGui::TableHeadersRow();
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextDisabled("0");
      ImGui::TableNextColumn();
      ImGui::Text("base %s", target.base.c_str());
      ImGui::TableNextColumn();
      ImGui::TextDisabled("-");
      ImGui::TableNextColumn();
      ImGui::Text("%s%s", ui::bytes(target.base_bytes).c_str(), target.base_estimated ? "*" : "");
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", target.base_estimated ? (target.base_reason.empty() ? "estimated: the image is not in the catalog" : target.base_reason.c_str())
                                                      : "from the base-image catalog");
      ImGui::TableNextColumn();
      for (size_t i = 0; i < b.layers.size(); ++i) {
        const sim::Layer& l = b.layers[i];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextDisabled("%zu", i + 1);
        ImGui::TableNextColumn();
        ImGui::PushID(static_cast<int>(i));
        if (ImGui::Selectable(l.instruction.c_str(), false, ImGuiSelectableFlags_SpanAllColumns) && l.step < b.steps.size())
          s.select({b.steps[l.step].range.begin.offset, b.steps[l.step].range.end.offset});
        if (ImGui::IsItemHovered() && l.step < b.steps.size()) ImGui::SetTooltip("Select line %u in the editor", b.steps[l.step].line);
        ImGui::PopID();
        ImGui::TableNextColumn();
        ImGui::TextDisabled("%s", l.stage < b.stages.size() ? b.stages[l.stage].label.c_str() : "");
        ImGui::TableNextColumn();
        if (l.unknown) {
          ImGui::TextColored(theme::kWarning, "%s + ?", ui::bytes(l.size_bytes).c_str());
          if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Partly unknown: a command of this step is not modelled, so what it wrote is unknown");
        } else {
          ImGui::Text("%s%s", ui::bytes(l.size_bytes).c_str(), l.estimated ? "*" : "");
          if (ImGui::IsItemHovered() && l.estimated) ImGui::SetTooltip("estimated%s%s", l.source.empty() ? "" : ": ", l.source.c_str());
        }
        ImGui::TableNextColumn();
        if (l.wasted_bytes) ImGui::TextColored(theme::kWarning, "%s", ui::bytes(l.wasted_bytes).c_str());
        else ImGui::TextDisabled("-");
      }
      ImGui::EndTable();
    }
    bool any_unknown = false;
    for (const auto& l : b.layers) any_unknown = any_unknown || l.unknown;
    ImGui::TextDisabled("* estimated");
    if (any_unknown) ImGui::TextDisabled("+ ? unknown: a step not modelled");  // short: the panel may be 390 px wide
  }

  // Config.
  if (ImGui::CollapsingHeader("Config", ImGuiTreeNodeFlags_DefaultOpen)) {
    const stages::StageConfig& c = b.config;
    if (ImGui::BeginTable("config", 2, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_PadOuterX)) {
      ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthFixed, ui::em(7));
      ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
      kv("user", c.user.empty() ? "root (default)" : c.user);
      kv("workdir", c.workdir.empty() ? "/" : c.workdir);
      kv("ports", join(c.exposed_ports, ", "));
      kv("entrypoint", exec_form(c.entrypoint));
      kv("cmd", exec_form(c.cmd));
      std::string env;
      for (const auto& [k, v] : c.env) env += (env.empty() ? "" : "\n") + k + "=" + v;
      kv("env", env);
      if (c.healthcheck) {
        const auto& h = *c.healthcheck;
        std::string hc = h.test.empty() ? "NONE" : join(h.test);
        if (h.interval_ns) hc += " (every " + ui::seconds(static_cast<double>(h.interval_ns) / 1e9) + ")";
        kv("healthcheck", hc);
      } else {
        kv("healthcheck", "");
      }
      std::string labels;
      for (const auto& [k, v] : c.labels) labels += (labels.empty() ? "" : "\n") + k + "=" + v;
      kv("labels", labels);
      if (!c.volumes.empty()) kv("volumes", join(c.volumes, ", "));
      if (!c.stop_signal.empty()) kv("stop signal", c.stop_signal);
      ImGui::EndTable();
    }
  }

  // Files.
  if (ImGui::CollapsingHeader("Files", ImGuiTreeNodeFlags_DefaultOpen)) {
    if (tree_revision != r.revision) {
      build_tree(b);
      tree_revision = r.revision;
    }
    ImGui::TextDisabled("Added on top of the base image %s (%s, not listed)", target.base.c_str(), ui::bytes(target.base_bytes).c_str());
    if (ImGui::BeginTable("files", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_PadOuterX)) {
      ImGui::TableSetupColumn("path", ImGuiTableColumnFlags_WidthStretch);
      ImGui::TableSetupColumn("size");
      ImGui::TableSetupColumn("layer");
      ImGui::TableHeadersRow();
      int budget = 3000;
      for (const auto& [name, c] : tree[0].children) draw_tree_node(b, c, 0, budget);
      ImGui::EndTable();
      if (budget < 0) ImGui::TextDisabled("(more entries not shown)");
    }
  }

  if (!b.estimates.empty() && ImGui::CollapsingHeader("Where the estimates come from")) {
    for (const auto& e : b.estimates) {
      ImGui::Bullet();
      ImGui::TextWrapped("%s", e.c_str());
    }
  }
}

const PanelRegistration reg{{"Image", Slot::Side, 20, draw}};

}  // namespace
}  // namespace dfplay::app

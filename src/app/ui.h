// Small widgets and formatting shared by the panels.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "app.h"
#include "imgui.h"

namespace dfplay::app::ui {

std::string bytes(uint64_t n);     // "150.8 MB", "14.2 kB", "812 B" (decimal units, like docker)
std::string seconds(double s);     // "18.0 s", "0.05 s"
std::string percent(double ratio);  // "97.3%"
std::string first_line(std::string_view text);
std::string plural(size_t n, const char* one, const char* many);
// `text`, or its start and "..." when it is wider than `width` (device pixels): for fixed boxes
// that show the whole text on hover.
std::string fit(const std::string& text, float width);

// A link-styled "line N" that selects the line in the editor when clicked. Returns true when clicked.
bool line_link(AppState& s, uint32_t line, const char* id_suffix = "");
// "(est.)" in a muted colour, with a tooltip saying where the figure comes from.
void estimated(const char* why = nullptr);
// A "(?)" that shows `text` as a tooltip.
void help(const char* text);
// Text in a colour, wrapped at the window's edge.
void colored_wrapped(const ImVec4& color, const std::string& text);
// A full-width row that can be clicked: returns true when clicked (for whole-row selection in tables).
bool row_button(const char* id, float height);
// Draws a small filled circle at the current line (status dots), then moves past it.
void dot(const ImVec4& color);

// What a panel with nothing to show says: when the core refused the whole input (a limit such as
// limits/input-size, docs/limits.md), its message in the error colour; otherwise `fallback`
// (e.g. "No stages: the Dockerfile needs a FROM instruction.") dimmed.
void nothing_to_show(const WorkspaceResult& r, const char* fallback);
// The core's refusal of the whole input (limits/input-size), or null: nothing was analysed, so the
// counts of the result are not zero but unknown (the status line and the accessibility summary say
// "not analysed" instead of giving them).
const Diagnostic* refusal(const WorkspaceResult& r);

// A tinted box with wrapped text (notes such as "no build recorded yet"). `id` must be unique in the window.
void banner(const char* id, const ImVec4& color, const std::string& text);
// The build target as a combo box ("last stage" or a stage); changes the options. Returns true on change.
bool target_combo(AppState& s, const char* label, float width);

// SameLine() when an item `width` wide still fits on the current line, else a new line (toolbars
// that wrap in narrow panels).
void same_line_if_fits(float width);

// Em: the font size in device pixels (sizes are given in ems so they follow the DPR).
inline float em(float n = 1.0f) { return ImGui::GetFontSize() * n; }

}  // namespace dfplay::app::ui

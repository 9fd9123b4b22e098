// Colours and sizes of the app, and the theme (dark or light, or following the system's
// prefers-color-scheme). The palettes are plain data in model/palette.cpp (with their contrast
// test); the colours below are the current palette's, for the panels.
#pragma once
#include "imgui.h"
#include "model/palette.h"
#include "syntax/diagnostic.h"

namespace dfplay::app {
namespace theme {
// The current theme's colours (set by apply_style; the dark theme's until then).
inline ImVec4 kOk{0.45f, 0.80f, 0.50f, 1.0f};
inline ImVec4 kError{0.97f, 0.42f, 0.42f, 1.0f};
inline ImVec4 kWarning{0.96f, 0.76f, 0.30f, 1.0f};
inline ImVec4 kNote{0.50f, 0.72f, 0.98f, 1.0f};
// Cache statuses (the Build panel, the editor's gutter, the stage graph).
inline ImVec4 kCached{0.40f, 0.78f, 0.47f, 1.0f};
inline ImVec4 kRun{0.98f, 0.62f, 0.25f, 1.0f};
inline ImVec4 kSkipped{0.55f, 0.59f, 0.65f, 1.0f};
inline ImVec4 kAccent{0.42f, 0.65f, 0.98f, 1.0f};    // target, links, selection
inline ImVec4 kCritical{0.96f, 0.45f, 0.62f, 1.0f};  // the critical path
inline ImVec4 kDim{0.55f, 0.59f, 0.65f, 1.0f};
inline constexpr float kFontSize = 15.0f;  // CSS pixels

inline ImVec4 vec(Rgba c) { return ImVec4(c.r, c.g, c.b, c.a); }
inline ImU32 u32(Rgba c) { return ImGui::GetColorU32(vec(c)); }

enum class Choice : uint8_t { Auto, Dark, Light };
const char* choice_name(Choice c);  // "auto", "dark", "light"
bool choice_from(const char* name, Choice& out);

// What the user chose (View > Theme, dfplay.setTheme) and what the system prefers; the shown
// palette follows. Changes take effect at the next frame (begin_frame) and are reported to the
// page (background colour, remembered choice).
void set_choice(Choice c);
Choice choice();
void set_system_dark(bool dark);
const Palette& palette();  // the palette shown
bool light();
// At the start of a frame, before any window: applies a pending theme change.
void begin_frame();
}  // namespace theme

ImU32 severity_color(Severity s);

// Resets the style to the current theme with every size scaled by `scale` (the device pixel
// ratio: the app draws in device pixels).
void apply_style(float scale);

}  // namespace dfplay::app

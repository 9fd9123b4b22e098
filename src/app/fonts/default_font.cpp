// ImGui's "default font" is the embedded UI font when the app has one.
//
// Dear ImGui 1.90.1 links its built-in ProggyClean (~12 KB of base85 data, ~9 KB brotli) whenever
// the font atlas is built: ImFontAtlas::Build() calls AddFontDefault() when no font was added,
// and has no switch to leave it out. The app always adds its own font first, so ProggyClean is
// never used. src/app/CMakeLists.txt links the app with
// `--wrap=_ZN11ImFontAtlas14AddFontDefaultEPK12ImFontConfig` (wasm-ld), which sends every call of
// ImFontAtlas::AddFontDefault(const ImFontConfig*) to the function below: the original, and the
// ProggyClean data only it reads, are then unreferenced and dropped by the linker. ImGui's own
// sources are compiled unchanged.
#if DFPLAY_APP_EMBEDDED_FONT
#include "fonts/font_data.h"
#include "imgui.h"

// wasm32: a member function takes `this` as its first argument, so this C signature is the
// member's (ImFont* (ImFontAtlas*, const ImFontConfig*)).
extern "C" ImFont* __wrap__ZN11ImFontAtlas14AddFontDefaultEPK12ImFontConfig(ImFontAtlas* atlas,
                                                                            const ImFontConfig* font_cfg_template) {
  using dfplay::app::fonts::kMonoFont;
  ImFontConfig cfg = font_cfg_template ? *font_cfg_template : ImFontConfig();
  cfg.FontDataOwnedByAtlas = false;  // static data
  if (cfg.SizePixels <= 0.0f) cfg.SizePixels = 13.0f;  // ImGui's default size
  return atlas->AddFontFromMemoryTTF(const_cast<unsigned char*>(kMonoFont.data), static_cast<int>(kMonoFont.size),
                                     cfg.SizePixels, &cfg, kMonoFont.ranges);
}
#endif

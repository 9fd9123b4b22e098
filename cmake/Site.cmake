# Static files of the web site, copied into build/web/site with a dependency on each source, so
# that an edit rebuilds (and a new file under web/tutorial/ is picked up at the next configure):
#   web/embed.js        -> /embed.js          (the <dockerfile-playground> element, docs/embedding.md)
#   web/share-link.js   -> /share-link.js     (share links, docs/share-links.md)
#   web/tutorial/**     -> /tutorial/**       (the multi-stage builds tutorial)
set(_site_sources "${PROJECT_SOURCE_DIR}/web/embed.js" "${PROJECT_SOURCE_DIR}/web/share-link.js")
file(GLOB_RECURSE _tutorial_sources CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/web/tutorial/*")
list(APPEND _site_sources ${_tutorial_sources})
set(_site_outputs "")
foreach(_src IN LISTS _site_sources)
  file(RELATIVE_PATH _rel "${PROJECT_SOURCE_DIR}/web" "${_src}")
  set(_out "${DFPLAY_SITE_DIR}/${_rel}")
  add_custom_command(
    OUTPUT "${_out}"
    COMMAND ${CMAKE_COMMAND} -E copy_if_different "${_src}" "${_out}"
    DEPENDS "${_src}"
    COMMENT "Site: /${_rel}"
    VERBATIM)
  list(APPEND _site_outputs "${_out}")
endforeach()
add_custom_target(dfplay_site_files ALL DEPENDS ${_site_outputs})

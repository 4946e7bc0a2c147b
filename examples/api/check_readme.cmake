# cmake -DSOURCE=api_example.c -DREADME=README.md -P check_readme.cmake
# Fails unless the lines between README-BEGIN and README-END in SOURCE appear in README,
# verbatim and in order (indentation removed by the same amount), so the README's example
# is the compiled one.
file(READ ${SOURCE} src)
string(REGEX MATCH "README-BEGIN \\*/\n(.*)\n[ ]*/\\* README-END" m "${src}")
if(NOT m)
  message(FATAL_ERROR "${SOURCE}: no README-BEGIN/README-END block")
endif()
set(block "${CMAKE_MATCH_1}")
string(REPLACE "\n    " "\n" block "${block}")
string(REGEX REPLACE "^    " "" block "${block}")
file(READ ${README} readme)
string(FIND "${readme}" "${block}" pos)
if(pos EQUAL -1)
  message(FATAL_ERROR "${README} does not contain the example of ${SOURCE} verbatim:\n${block}")
endif()
message(STATUS "README example matches ${SOURCE}")

# Installs emgtwitch (shared, then static) into scratch prefixes and builds tests/consumer
# against each installed copy, with find_package and pkg-config, from C and C++; then runs
# the consumers. Invoked by CTest as: cmake -DSRC=.. -DWORK=.. -DFFT=.. -DWITH_IO=.. -P this
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "consumer test step failed (${rc}): ${ARGN}\n${out}")
  endif()
endfunction()

file(REMOVE_RECURSE ${WORK})
foreach(kind shared static)
  if(kind STREQUAL "shared")
    set(shared ON)
  else()
    set(shared OFF)
  endif()
  set(prefix ${WORK}/prefix-${kind})
  run(${CMAKE_COMMAND} -S ${SRC} -B ${WORK}/lib-${kind} -DCMAKE_BUILD_TYPE=Release
      -DBUILD_SHARED_LIBS=${shared} -DETW_FFT=${FFT} -DETW_WITH_IO=${WITH_IO}
      -DETW_BUILD_TESTS=OFF -DETW_BUILD_EXAMPLES=OFF -DETW_BUILD_BENCH=OFF -DETW_BUILD_DOCS=OFF
      -DCMAKE_INSTALL_PREFIX=${prefix})
  run(${CMAKE_COMMAND} --build ${WORK}/lib-${kind} -j 2)
  run(${CMAKE_COMMAND} --install ${WORK}/lib-${kind})
  run(${CMAKE_COMMAND} -S ${SRC}/tests/consumer -B ${WORK}/consumer-${kind}
      -DCMAKE_PREFIX_PATH=${prefix} -DWITH_IO=${WITH_IO} -DLINK_STATIC=${kind})
  run(${CMAKE_COMMAND} --build ${WORK}/consumer-${kind} -j 2)
  foreach(exe consumer_c consumer_cxx consumer_pkgconfig)
    run(${WORK}/consumer-${kind}/${exe})
  endforeach()
  message(STATUS "consumer (${kind}): find_package C, C++ and pkg-config builds ran")
endforeach()

# consumer_test: install the build into a fresh prefix, build tests/consumer against it with
# find_package, and run it on scenes/seed.json. -DBUILD=<gaussmap build> -DSOURCE=<repo>
# -DWORK=<scratch folder>.
file(REMOVE_RECURSE "${WORK}")
function(step)
  execute_process(COMMAND ${ARGV} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "consumer_test: failed (${rc}): ${ARGV}")
  endif()
endfunction()
step(${CMAKE_COMMAND} --install "${BUILD}" --prefix "${WORK}/prefix")
step(${CMAKE_COMMAND} -S "${SOURCE}/tests/consumer" -B "${WORK}/build"
     -DCMAKE_PREFIX_PATH=${WORK}/prefix -DCMAKE_BUILD_TYPE=Release)
step(${CMAKE_COMMAND} --build "${WORK}/build")
step("${WORK}/build/consumer" "${SOURCE}/scenes/seed.json")

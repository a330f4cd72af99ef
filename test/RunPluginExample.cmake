# Builds examples/pass-plugin against an installed Strata and runs its lit test.
set(prefix ${STRATA_BINARY_DIR}/example-install)
set(build ${STRATA_BINARY_DIR}/example-pass-plugin)
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}")
  endif()
endfunction()
run(${CMAKE_COMMAND} --install ${STRATA_BINARY_DIR} --prefix ${prefix})
run(${CMAKE_COMMAND} -S ${STRATA_SOURCE_DIR}/examples/pass-plugin -B ${build}
    -G ${GENERATOR} -DCMAKE_PREFIX_PATH=${prefix} -DSTRATA_LIT=${STRATA_LIT})
run(${CMAKE_COMMAND} --build ${build})
run(${STRATA_LIT} -sv ${build}/test)

package dev.wasmbpf.runtime.reliability;

/**
 * The imports the fuzzers drive, numbered as the rel_fuzz guest's dispatcher numbers them. {@code abi} ones
 * are {@code wasm_bpf}'s; the rest are WASI preview1 functions a hostile guest can reach.
 */
enum FuzzOp {
    LOAD("wasm_load_bpf_object", true),
    ATTACH("wasm_attach_bpf_program", true),
    MAP_FD_BY_NAME("wasm_bpf_map_fd_by_name", true),
    MAP_OPERATE("wasm_bpf_map_operate", true),
    BUFFER_POLL("wasm_bpf_buffer_poll", true),
    CLOSE("wasm_close_bpf_object", true),
    FD_WRITE("fd_write", false),
    FD_READ("fd_read", false),
    FD_CLOSE("fd_close", false),
    FD_SEEK("fd_seek", false),
    FD_FDSTAT_GET("fd_fdstat_get", false),
    PATH_OPEN("path_open", false),
    RANDOM_GET("random_get", false),
    CLOCK_TIME_GET("clock_time_get", false),
    ARGS_SIZES_GET("args_sizes_get", false),
    ARGS_GET("args_get", false),
    ENVIRON_GET("environ_get", false),
    POLL_ONEOFF("poll_oneoff", false),
    FD_PRESTAT_GET("fd_prestat_get", false),
    FD_PRESTAT_DIR_NAME("fd_prestat_dir_name", false),
    SCHED_YIELD("sched_yield", false),
    FD_FILESTAT_GET("fd_filestat_get", false),
    PATH_FILESTAT_GET("path_filestat_get", false);

    final String importName;
    final boolean abi;

    FuzzOp(String importName, boolean abi) {
        this.importName = importName;
        this.abi = abi;
    }
}

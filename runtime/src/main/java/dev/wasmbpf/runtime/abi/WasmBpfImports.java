package dev.wasmbpf.runtime.abi;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.wasm.types.FunctionType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The host functions of the {@code wasm_bpf} ABI for one module instance. Both poll flavours are always
 * offered; map_operate is offered with the parameter types the module actually imports.
 */
public final class WasmBpfImports {
    private final AbiContext context;
    private final String wrapperModuleName;

    public WasmBpfImports(AbiContext context, String wrapperModuleName) {
        this.context = context;
        this.wrapperModuleName = wrapperModuleName;
    }

    /**
     * @param importedMapOperateType the type under which the module imports map_operate, if it does
     */
    public List<HostFunction> functions(Optional<FunctionType> importedMapOperateType) {
        boolean i64Pointers = importedMapOperateType
                .map(type -> type.params().equals(MapFunctions.I64_POINTER_PARAMS))
                .orElse(false);
        MapFunctions maps = new MapFunctions(context);
        BufferPollFunctions polls = new BufferPollFunctions(context);
        List<HostFunction> functions = new ArrayList<>(new ObjectFunctions(context).functions());
        functions.add(new AttachFunction(context).function());
        functions.add(maps.mapFdByName());
        functions.add(maps.mapOperate(i64Pointers));
        functions.add(polls.tablePoll());
        functions.add(polls.wrapperPoll(wrapperModuleName));
        return functions;
    }

    public static boolean isAbiModule(String module) {
        return HostFunctions.MODULE.equals(module);
    }

    public static String mapOperateName() {
        return MapFunctions.MAP_OPERATE;
    }
}

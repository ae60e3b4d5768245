package dev.wasmbpf.btf;

import java.util.List;

/**
 * One BTF type, as the kernel's include/uapi/linux/btf.h encodes it. Types refer to each other by
 * id (an index into {@link Btf}); id 0 is {@code void}. Names are "" when anonymous.
 */
public sealed interface BtfType {
    /** Name of the type, "" for anonymous ones. */
    String name();

    /** The BTF_KIND_* name, as bpftool prints it. */
    String kindName();

    /** Type id 0: {@code void}. */
    record Void() implements BtfType {
        public String name() {
            return "";
        }

        public String kindName() {
            return "VOID";
        }
    }

    /** BTF_KIND_INT: {@code encoding} holds BTF_INT_SIGNED (1), BTF_INT_CHAR (2), BTF_INT_BOOL (4). */
    record Int(String name, int size, int encoding, int bitOffset, int bits) implements BtfType {
        public static final int SIGNED = 1, CHAR = 2, BOOL = 4;

        public String kindName() {
            return "INT";
        }

        public boolean signed() {
            return (encoding & SIGNED) != 0;
        }

        public boolean isBool() {
            return (encoding & BOOL) != 0;
        }

        public boolean isChar() {
            return (encoding & CHAR) != 0 || name.equals("char");
        }
    }

    record Ptr(int type) implements BtfType {
        public String name() {
            return "";
        }

        public String kindName() {
            return "PTR";
        }
    }

    record Array(int elementType, int indexType, long length) implements BtfType {
        public String name() {
            return "";
        }

        public String kindName() {
            return "ARRAY";
        }
    }

    /** A struct or union member; {@code bitfieldSize} is 0 for ordinary members. */
    record Member(String name, int type, long bitOffset, int bitfieldSize) {
        public boolean isBitfield() {
            return bitfieldSize != 0;
        }
    }

    /** BTF_KIND_STRUCT and BTF_KIND_UNION. */
    record Composite(String name, boolean union, int size, List<Member> members) implements BtfType {
        public String kindName() {
            return union ? "UNION" : "STRUCT";
        }

        public String keyword() {
            return union ? "union" : "struct";
        }
    }

    record Enumerator(String name, long value) {}

    /** BTF_KIND_ENUM (32-bit values) and BTF_KIND_ENUM64. */
    record Enum(String name, int size, boolean signed, boolean is64, List<Enumerator> values) implements BtfType {
        public String kindName() {
            return is64 ? "ENUM64" : "ENUM";
        }
    }

    /** BTF_KIND_FWD: a struct or union that is declared but not defined here. */
    record Fwd(String name, boolean union) implements BtfType {
        public String kindName() {
            return "FWD";
        }

        public String keyword() {
            return union ? "union" : "struct";
        }
    }

    record Typedef(String name, int type) implements BtfType {
        public String kindName() {
            return "TYPEDEF";
        }
    }

    /** BTF_KIND_VOLATILE, BTF_KIND_CONST, BTF_KIND_RESTRICT. */
    record Modifier(Qualifier qualifier, int type) implements BtfType {
        public String name() {
            return "";
        }

        public String kindName() {
            return qualifier.name();
        }
    }

    enum Qualifier {
        VOLATILE,
        CONST,
        RESTRICT;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** BTF_KIND_TYPE_TAG: {@code __attribute__((btf_type_tag(value)))} on the pointee. */
    record TypeTag(String name, int type) implements BtfType {
        public String kindName() {
            return "TYPE_TAG";
        }
    }

    /** BTF_KIND_FUNC; {@code linkage} is 0 static, 1 global, 2 extern. */
    record Func(String name, int proto, int linkage) implements BtfType {
        public String kindName() {
            return "FUNC";
        }
    }

    record Param(String name, int type) {}

    /** BTF_KIND_FUNC_PROTO. A last parameter with type 0 and no name means "...". */
    record FuncProto(int returnType, List<Param> params) implements BtfType {
        public String name() {
            return "";
        }

        public String kindName() {
            return "FUNC_PROTO";
        }

        public boolean variadic() {
            return !params.isEmpty() && params.getLast().type() == 0;
        }
    }

    /** BTF_KIND_VAR; {@code linkage} is 0 static, 1 global allocated, 2 extern. */
    record Var(String name, int type, int linkage) implements BtfType {
        public String kindName() {
            return "VAR";
        }
    }

    record SectionVar(int type, long offset, long size) {}

    /** BTF_KIND_DATASEC: the variables of one ELF section such as .rodata or .maps. */
    record Datasec(String name, long size, List<SectionVar> vars) implements BtfType {
        public String kindName() {
            return "DATASEC";
        }
    }

    record Float(String name, int size) implements BtfType {
        public String kindName() {
            return "FLOAT";
        }
    }

    /** BTF_KIND_DECL_TAG; {@code componentIndex} -1 tags the type itself, else a member/param. */
    record DeclTag(String name, int type, int componentIndex) implements BtfType {
        public String kindName() {
            return "DECL_TAG";
        }
    }
}

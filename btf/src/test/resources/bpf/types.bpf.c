// SPDX-License-Identifier: Apache-2.0
/*
 * Test object for the btf module: one of each layout problem a wasm32 guest meets when it shares
 * memory with a BPF program (8-byte long and pointers, bitfields, anonymous members, packed and
 * over-aligned types, small enums, flexible arrays, unions), in every global-data section.
 */
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>

struct event {
	int pid;
	int ppid;
	unsigned exit_code;
	unsigned long long duration_ns;
	char comm[16];
	char filename[127];
	bool exit_event;
};

struct bits {
	unsigned a : 3;
	unsigned b : 5;
	int c : 12;
	unsigned long long d : 40;
	char e;
	unsigned short f : 9;
	bool g : 1;
	long tail;
};

struct nested {
	int kind;
	union {
		struct {
			short x, y;
		};
		long long both;
		unsigned char raw[8];
	};
	struct {
		void *ptr;
		long len;
	} buf;
};

struct __attribute__((packed)) packed_rec {
	char tag;
	unsigned int value;
	unsigned long long stamp;
	short s;
};

struct aligned_rec {
	char c;
	int x __attribute__((aligned(16)));
} __attribute__((aligned(32)));

enum color { RED, GREEN = 5, BLUE };
enum __attribute__((packed)) small { S_A, S_B = 200 };
enum flag_bits { F_A = 1, F_B = 2, F_C = 4 };

typedef int (*callback_t)(void *ctx, struct event *e);

struct with_fn {
	callback_t cb;
	const char *name;
	struct with_fn *next;
	enum color color;
	enum small small;
	enum flag_bits flags;
	struct aligned_rec aligned;
	struct packed_rec packed[2];
};

struct flex {
	unsigned int n;
	unsigned long long items[];
};

union value {
	unsigned int u;
	float f;
	double d;
	char bytes[12];
};

typedef struct {
	unsigned short port;
	unsigned char proto;
} endpoint_t;

const volatile unsigned long long min_duration_ns = 0;
const volatile int verbose = 1;
const volatile endpoint_t filter_endpoint = {};
struct event last_event = {};
struct nested nested_val = { .kind = 1 };
struct bits bits_val __attribute__((section(".data.custom"))) = { .a = 1 };
int custom_counter __attribute__((section(".data.custom"))) = 7;
struct packed_rec packed_val;
struct with_fn fn_val;
union value value_val;
struct flex *flex_ptr;
bool seen = false;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__type(key, int);
	__type(value, struct event);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

static __attribute__((noinline)) int bump(int x)
{
	return x + verbose;
}

SEC("tp/syscalls/sys_enter_write")
int on_write(void *ctx)
{
	int key = bump(0);
	struct event *e = bpf_map_lookup_elem(&events, &key);

	if (e && e->duration_ns > min_duration_ns) {
		last_event = *e;
		seen = true;
	}
	bits_val.b++;
	custom_counter++;
	nested_val.both += filter_endpoint.port;
	value_val.u++;
	packed_val.stamp++;
	fn_val.small = S_B;
	return 0;
}

SEC("socket")
int sock_filter(struct __sk_buff *skb)
{
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";

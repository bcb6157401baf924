// SPDX-License-Identifier: GPL-2.0
/*
 * Workload 'net-pair': TCP and UDP traffic between two network namespaces over the two virtio-net
 * NICs that scripts/boot-lib.sh gives the run, joined inside QEMU by a hub (no traffic leaves the
 * guest), to show that the free check and the COW check of the series report nothing on a network
 * driver that uses the DMA API as it should: virtio-net with VIRTIO_F_ACCESS_PLATFORM (the NICs
 * have iommu_platform=on), receiving into page_pool pages (7.2: PP_FLAG_DMA_MAP, pages stay
 * mapped while they sit in the pool and are unmapped before they go back to the page allocator).
 *
 *   NIC A: the NIC with mergeable receive buffers (mrg_rxbuf=on), stays in init's namespace,
 *	10.0.0.1/24;
 *   NIC B: the NIC without them (mrg_rxbuf=off: virtio-net's "small" receive path), moved into a
 *	child's new network namespace (unshare(CLONE_NEWNET); rtnetlink RTM_NEWLINK with
 *	IFLA_NET_NS_PID), 10.0.0.2/24.
 * Both are set up with ioctls (SIOCSIFADDR, SIOCSIFNETMASK, SIOCSIFFLAGS).  Then:
 *   - TCP: A sends MIB MiB to B, then B sends MIB MiB to A on the same connection; every byte is a
 *     function of its offset in the stream (and of the direction), checked by the receiver;
 *   - UDP: DATAGRAMS request/echo round trips A -> B -> A of 18 to 1472 bytes (mostly small),
 *     each checked by B and its echo by A;
 *   - teardown: both NICs are unbound from virtio_net (their page pools destroyed: every pool
 *     page is unmapped, then freed, under the free check).
 * The workload fails when the traffic fails, when a NIC did not negotiate VIRTIO_F_ACCESS_PLATFORM
 * (virtio would bypass the DMA API: nothing checked), when a NIC made no DMA-API map (the counts of
 * /sys/kernel/debug/dma-api/devices, the series' file, else the dma map tracepoints), when page
 * pools took pages but mapped none, or when a NIC still has mappings after its unbind.
 *
 * What the DMA API saw, from a tracing instance of its own (instances/net-pair, hist triggers, so
 * that the run's own dma tracepoint counts are untouched): map calls per NIC and direction, and
 * the page_pool's (FROM_DEVICE with SKIP_CPU_SYNC|WEAK_ORDERING, net/core/page_pool.c is the only
 * caller mapping so); page_pool_state_hold / page_pool_state_release: pages the pools took from
 * and gave back to the page allocator.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "common.h"
#include "workloads.h"

#define NP_TCP_PORT	5201
#define NP_UDP_PORT	5202
#define NP_ADDR_A	"10.0.0.1"
#define NP_ADDR_B	"10.0.0.2"
#define NP_CHUNK	(64 * 1024)
#define NP_UDP_MAX	1472		/* the largest UDP payload of a 1500-byte MTU frame */
#define NP_TIMEOUT_S	30		/* a TCP socket that moves nothing this long fails */
#define NP_UDP_WAIT_MS	300		/* an echo not back by then is asked again */
#define NP_UDP_TRIES	10
#define NP_SEED_AB	0x41		/* the stream A -> B */
#define NP_SEED_BA	0x42		/* the stream B -> A */
#define NP_SEED_UDP	0x55
#define TRACEFS		"/sys/kernel/tracing"
#define NP_TRACE	TRACEFS "/instances/net-pair"
#define VIRTIO_NET_DRV	"/sys/bus/virtio/drivers/virtio_net"

/* Feature bits (include/uapi/linux/virtio_config.h, virtio_net.h), in sysfs 'features' order. */
#define VIRTIO_F_ACCESS_PLATFORM_BIT	33
#define VIRTIO_NET_F_MRG_RXBUF_BIT	15

/* DMA API attributes of page_pool's own mappings (include/linux/dma-mapping.h) */
#define ATTR_WEAK_ORDERING	(1UL << 1)
#define ATTR_SKIP_CPU_SYNC	(1UL << 5)
#define DIR_TO_DEVICE		1
#define DIR_FROM_DEVICE		2

static const char me[] = "net-pair";

struct nic {
	char name[IFNAMSIZ];	/* eth0 */
	char vdev[32];		/* the virtio device, virtio2 */
	char dev[64];		/* its DMA device (the transport: a003a00.virtio_mmio, 0000:00:02.0) */
	int ifindex, access_platform, mrg_rxbuf;
	long maps0, maps1, live1;	/* dma-api/devices: maps before and after, live after unbind */
	long h_maps, h_rx, h_pp, h_tx;	/* tracing hist: map calls, FROM_DEVICE, page_pool's, TO_DEVICE */
};

/* What the child (NIC B's side) tells the parent. */
struct np_child {
	long long tcp_got, tcp_bad_at, tcp_sent;	/* bad_at: first wrong byte's offset, or -1 */
	long long recv_ns, send_ns;
	long udp_got, udp_bad;
	char err[160];
};

/* The byte at offset OFF of stream SEED: 8 bytes of a mixed word per 8 bytes of the stream. */
static void np_pattern(unsigned char *p, uint64_t off, size_t len, uint64_t seed)
{
	while (len) {
		uint64_t v = ((off >> 3) + (seed << 48)) * 0x9E3779B97F4A7C15ULL;
		unsigned int s = off & 7;
		size_t n = 8 - s < len ? 8 - s : len, k;

		v ^= v >> 29;
		for (k = 0; k < n; k++)
			p[k] = (unsigned char)(v >> (8 * (s + k)));
		p += n;
		off += n;
		len -= n;
	}
}

/* The basename of the path that LINK resolves to, in buf; or -1. */
static int np_link_base(const char *link, char *buf, size_t len)
{
	char real[PATH_MAX], *b;

	if (!realpath(link, real))
		return -1;
	b = strrchr(real, '/');
	b = b ? b + 1 : real;
	if (strlen(b) >= len)
		return -1;
	memcpy(buf, b, strlen(b) + 1);
	return 0;
}

static int np_cmp_nic(const void *a, const void *b)
{
	return strcmp(((const struct nic *)a)->name, ((const struct nic *)b)->name);
}

/* The network interfaces virtio_net drives, by name; their number. */
static int np_find_nics(struct nic *nics, int max)
{
	char path[PATH_MAX], drv[64], feat[160];
	struct dirent *de;
	DIR *d = opendir("/sys/class/net");
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)) && n < max) {
		struct nic *c = &nics[n];

		if (de->d_name[0] == '.' || strlen(de->d_name) >= IFNAMSIZ)
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/device/driver", de->d_name);
		if (np_link_base(path, drv, sizeof(drv)) || strcmp(drv, "virtio_net"))
			continue;
		memset(c, 0, sizeof(*c));
		snprintf(c->name, sizeof(c->name), "%s", de->d_name);
		snprintf(path, sizeof(path), "/sys/class/net/%s/device", de->d_name);
		np_link_base(path, c->vdev, sizeof(c->vdev));
		snprintf(path, sizeof(path), "/sys/class/net/%s/device/..", de->d_name);
		np_link_base(path, c->dev, sizeof(c->dev));
		snprintf(path, sizeof(path), "/sys/class/net/%s/ifindex", de->d_name);
		c->ifindex = (int)read_long(path);
		snprintf(path, sizeof(path), "/sys/class/net/%s/device/features", de->d_name);
		if (read_file(path, feat, sizeof(feat)) > VIRTIO_F_ACCESS_PLATFORM_BIT) {
			c->access_platform = feat[VIRTIO_F_ACCESS_PLATFORM_BIT] == '1';
			c->mrg_rxbuf = feat[VIRTIO_NET_F_MRG_RXBUF_BIT] == '1';
		}
		n++;
	}
	closedir(d);
	qsort(nics, n, sizeof(*nics), np_cmp_nic);
	return n;
}

/* dma-api/devices (the series' per-device accounting): KEY= of device DEV, or -1. */
static long np_dev_count(const char *dev, const char *key)
{
	char want[80], line[512], *p;
	FILE *f = fopen(DEBUGFS "/dma-api/devices", "r");
	long v = -1;

	if (!f)
		return -1;
	snprintf(want, sizeof(want), " device=%s ", dev);
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, want))
			continue;
		snprintf(want, sizeof(want), " %s=", key);
		p = strstr(line, want);
		if (p)
			v = strtol(p + strlen(want), NULL, 10);
		break;
	}
	fclose(f);
	return v;
}

/*
 * The tracing instance: map calls by device, direction and attributes; the page pools' pages
 * taken from and given back to the page allocator.  6.12 names the map event dma_map_page, 7.2
 * dma_map_phys.  Returns the number of triggers set.
 */
static const char *const np_map_events[] = { "dma_map_phys", "dma_map_page", NULL };

static int np_trace_start(void)
{
	char path[160];
	int i, n = 0;

	if (mkdir(NP_TRACE, 0755) && errno != EEXIST)
		return 0;
	for (i = 0; np_map_events[i]; i++) {
		snprintf(path, sizeof(path), NP_TRACE "/events/dma/%s/trigger", np_map_events[i]);
		n += !write_file(path, "hist:keys=device,dir,attrs:vals=hitcount:size=256");
	}
	n += !write_file(NP_TRACE "/events/page_pool/page_pool_state_hold/trigger",
			 "hist:keys=common_pid:vals=hitcount");
	n += !write_file(NP_TRACE "/events/page_pool/page_pool_state_release/trigger",
			 "hist:keys=common_pid:vals=hitcount");
	return n;
}

/* Per NIC: map calls, FROM_DEVICE, page_pool's, TO_DEVICE; from the map events' hists. */
static void np_trace_maps(struct nic *nics, int n)
{
	char path[160], line[512], dev[96];
	unsigned long attrs, hits;
	int i, j, dir;

	for (i = 0; np_map_events[i]; i++) {
		FILE *f;

		snprintf(path, sizeof(path), NP_TRACE "/events/dma/%s/hist", np_map_events[i]);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "{ device: %95s , dir: %d , attrs: %lu } hitcount: %lu", dev,
				   &dir, &attrs, &hits) != 4)
				continue;
			for (j = 0; j < n; j++) {
				if (strcmp(dev, nics[j].dev))
					continue;
				nics[j].h_maps += hits;
				if (dir == DIR_FROM_DEVICE)
					nics[j].h_rx += hits;
				if (dir == DIR_TO_DEVICE)
					nics[j].h_tx += hits;
				if (dir == DIR_FROM_DEVICE && (attrs & ATTR_WEAK_ORDERING) &&
				    (attrs & ATTR_SKIP_CPU_SYNC))
					nics[j].h_pp += hits;
			}
		}
		fclose(f);
	}
}

/* The hits of one event's hist ("Totals: Hits: N"), or -1. */
static long np_trace_hits(const char *event)
{
	char path[160], line[256];
	long hits = -1;
	FILE *f;

	snprintf(path, sizeof(path), NP_TRACE "/events/%s/hist", event);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " Hits: %ld", &hits) == 1)
			break;
	fclose(f);
	return hits;
}

/* Move interface IFINDEX into the network namespace of process PID (rtnetlink): 0 or -errno. */
static int np_move_to_netns(int ifindex, pid_t pid)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
		char attrs[64];
	} req;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	char buf[512];
	struct nlmsghdr *nh = (struct nlmsghdr *)buf;
	struct rtattr *rta;
	uint32_t upid = (uint32_t)pid;
	int fd, err = -EIO;
	ssize_t n;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	req.nh.nlmsg_type = RTM_NEWLINK;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.nh.nlmsg_seq = 1;
	req.ifi.ifi_family = AF_UNSPEC;
	req.ifi.ifi_index = ifindex;
	rta = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.nh.nlmsg_len));
	rta->rta_type = IFLA_NET_NS_PID;
	rta->rta_len = RTA_LENGTH(sizeof(upid));
	memcpy(RTA_DATA(rta), &upid, sizeof(upid));
	req.nh.nlmsg_len = NLMSG_ALIGN(req.nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		err = -errno;
		goto out;
	}
	n = recv(fd, buf, sizeof(buf), 0);
	if (n >= (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) && NLMSG_OK(nh, (size_t)n) &&
	    nh->nlmsg_type == NLMSG_ERROR)
		err = ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
out:
	close(fd);
	return err;
}

/* Give interface NAME the address ADDR/24 and bring it up or down: 0, or -1 with what in *why. */
static int np_ifconfig(const char *name, const char *addr, int up, const char **why)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = -1;

	*why = "socket";
	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (addr) {
		sin->sin_family = AF_INET;
		inet_pton(AF_INET, addr, &sin->sin_addr);
		*why = "SIOCSIFADDR";
		if (ioctl(s, SIOCSIFADDR, &ifr))
			goto out;
		inet_pton(AF_INET, "255.255.255.0", &sin->sin_addr);
		*why = "SIOCSIFNETMASK";
		if (ioctl(s, SIOCSIFNETMASK, &ifr))
			goto out;
	}
	*why = "SIOCGIFFLAGS";
	if (ioctl(s, SIOCGIFFLAGS, &ifr))
		goto out;
	if (up)
		ifr.ifr_flags |= IFF_UP;
	else
		ifr.ifr_flags &= ~IFF_UP;
	*why = "SIOCSIFFLAGS";
	if (ioctl(s, SIOCSIFFLAGS, &ifr))
		goto out;
	ret = 0;
out:
	close(s);
	return ret;
}

static void np_timeouts(int fd, int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static void np_sockaddr(struct sockaddr_in *sa, const char *addr, int port)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(port);
	inet_pton(AF_INET, addr, &sa->sin_addr);
}

/* Send BYTES of stream SEED: the bytes sent. */
static long long np_send_stream(int fd, long long bytes, uint64_t seed)
{
	static unsigned char buf[NP_CHUNK];
	long long off = 0;

	while (off < bytes) {
		size_t len = bytes - off < NP_CHUNK ? (size_t)(bytes - off) : NP_CHUNK, done = 0;

		np_pattern(buf, off, len, seed);
		while (done < len) {
			ssize_t n = send(fd, buf + done, len - done, MSG_NOSIGNAL);

			if (n <= 0)
				return off + done;
			done += n;
		}
		off += len;
	}
	return off;
}

/* Receive stream SEED up to EOF, checking every byte: the bytes received; *bad_at the first wrong one. */
static long long np_recv_stream(int fd, uint64_t seed, long long *bad_at)
{
	static unsigned char buf[NP_CHUNK], want[NP_CHUNK];
	long long off = 0;
	ssize_t n;

	*bad_at = -1;
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		if (*bad_at < 0) {
			np_pattern(want, off, n, seed);
			if (memcmp(buf, want, n)) {
				ssize_t i;

				for (i = 0; i < n && buf[i] == want[i]; i++)
					;
				*bad_at = off + i;
			}
		}
		off += n;
	}
	if (n < 0 && *bad_at < 0)
		*bad_at = -2;		/* an error (timeout) before EOF */
	return off;
}

/* A UDP datagram: its sequence number, then its stream bytes. */
static size_t np_udp_size(long seq)
{
	return seq % 8 == 7 ? NP_UDP_MAX : 18 + (size_t)(seq * 97 % 300);
}

static void np_udp_fill(unsigned char *p, long seq, size_t len)
{
	uint32_t s = (uint32_t)seq;

	memcpy(p, &s, sizeof(s));
	np_pattern(p + 4, (uint64_t)seq << 16, len - 4, NP_SEED_UDP);
}

/* The child: NIC B's namespace; the TCP server, then the UDP echo until STOP closes. */
static void np_child(int to_parent, int from_parent, int stop, int report, long long bytes)
{
	struct np_child r = { .tcp_bad_at = -1 };
	struct sockaddr_in sa;
	static unsigned char dg[NP_UDP_MAX + 64], want[NP_UDP_MAX + 64];
	char name[IFNAMSIZ], c = 'u';
	const char *why;
	int ls = -1, us = -1, cs, one = 1;
	long long t0;

	if (unshare(CLONE_NEWNET)) {
		snprintf(r.err, sizeof(r.err), "unshare(CLONE_NEWNET): %s (CONFIG_NET_NS?)", strerror(errno));
		goto out;
	}
	/* The new namespace exists: the parent moves NIC B into it, then sends its name. */
	if (write(to_parent, &c, 1) != 1 || read(from_parent, name, sizeof(name)) <= 0) {
		snprintf(r.err, sizeof(r.err), "the parent did not move NIC B");
		goto out;
	}
	name[sizeof(name) - 1] = 0;
	if (np_ifconfig(name, NP_ADDR_B, 1, &why)) {
		snprintf(r.err, sizeof(r.err), "%s %s in the child's namespace: %s", why, name,
			 strerror(errno));
		goto out;
	}
	ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	us = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	np_sockaddr(&sa, NP_ADDR_B, NP_TCP_PORT);
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) || listen(ls, 1)) {
		snprintf(r.err, sizeof(r.err), "TCP listen on %s: %s", NP_ADDR_B, strerror(errno));
		goto out;
	}
	np_sockaddr(&sa, NP_ADDR_B, NP_UDP_PORT);
	if (us < 0 || bind(us, (struct sockaddr *)&sa, sizeof(sa))) {
		snprintf(r.err, sizeof(r.err), "UDP bind on %s: %s", NP_ADDR_B, strerror(errno));
		goto out;
	}
	c = 'r';
	if (write(to_parent, &c, 1) != 1)
		goto out;
	np_timeouts(ls, NP_TIMEOUT_S * 1000);
	cs = accept(ls, NULL, NULL);
	if (cs < 0) {
		snprintf(r.err, sizeof(r.err), "TCP accept: %s", strerror(errno));
		goto out;
	}
	np_timeouts(cs, NP_TIMEOUT_S * 1000);
	t0 = now_ns();
	r.tcp_got = np_recv_stream(cs, NP_SEED_AB, &r.tcp_bad_at);
	r.recv_ns = now_ns() - t0;
	t0 = now_ns();
	if (r.tcp_got == bytes && r.tcp_bad_at == -1)
		r.tcp_sent = np_send_stream(cs, bytes, NP_SEED_BA);
	r.send_ns = now_ns() - t0;
	close(cs);
	/* UDP echo: every datagram is checked, then sent back as it came. */
	for (;;) {
		struct pollfd pfd[2] = { { .fd = us, .events = POLLIN }, { .fd = stop, .events = POLLIN } };
		struct sockaddr_in from;
		socklen_t flen = sizeof(from);
		uint32_t seq = 0;
		ssize_t n;

		if (poll(pfd, 2, NP_TIMEOUT_S * 1000) <= 0 || (pfd[1].revents && !pfd[0].revents))
			break;
		n = recvfrom(us, dg, sizeof(dg), MSG_DONTWAIT, (struct sockaddr *)&from, &flen);
		if (n < 0)
			continue;
		r.udp_got++;
		memcpy(&seq, dg, n >= 4 ? sizeof(seq) : 0);
		if (n < 4 || (size_t)n != np_udp_size(seq))
			r.udp_bad++;
		else {
			np_udp_fill(want, seq, n);
			r.udp_bad += !!memcmp(dg, want, n);
		}
		sendto(us, dg, n, 0, (struct sockaddr *)&from, flen);
	}
out:
	if (ls >= 0)
		close(ls);
	if (us >= 0)
		close(us);
	_exit(write(report, &r, sizeof(r)) == sizeof(r) ? 0 : 1);
}

/* The parent's UDP round trips: the datagrams echoed intact; *retries, *bad. */
static long np_udp(int datagrams, long *retries, long *bad, long long *bytes)
{
	static unsigned char dg[NP_UDP_MAX + 64], echo[NP_UDP_MAX + 64];
	struct sockaddr_in sa;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	long seq, ok = 0;

	np_sockaddr(&sa, NP_ADDR_B, NP_UDP_PORT);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa))) {
		if (s >= 0)
			close(s);
		return -1;
	}
	np_timeouts(s, NP_UDP_WAIT_MS);
	for (seq = 0; seq < datagrams; seq++) {
		size_t len = np_udp_size(seq);
		int tries, got = 0;

		np_udp_fill(dg, seq, len);
		for (tries = 0; tries < NP_UDP_TRIES && !got; tries++) {
			ssize_t n;

			*retries += tries > 0;
			if (send(s, dg, len, 0) != (ssize_t)len)
				continue;
			/* Late echoes of an earlier datagram are skipped; a timeout asks again. */
			while ((n = recv(s, echo, sizeof(echo), 0)) >= 4) {
				uint32_t eseq;

				memcpy(&eseq, echo, sizeof(eseq));
				if (eseq != (uint32_t)seq)
					continue;
				got = 1;
				if ((size_t)n == len && !memcmp(echo, dg, len))
					ok++;
				else
					(*bad)++;
				break;
			}
		}
		if (!got)
			break;
		*bytes += 2 * (long long)len;
	}
	close(s);
	return ok;
}

/* Unbind a virtio device from virtio_net (its netdev unregistered, its page pools destroyed). */
static int np_unbind(const struct nic *c)
{
	return write_file(VIRTIO_NET_DRV "/unbind", c->vdev);
}

enum ktap_status net_pair_workload(long mib, int datagrams)
{
	struct nic nics[4], *a, *b;
	struct np_child r = { .tcp_bad_at = -1 };
	int up[2], down[2], stop[2], rep[2], n, i, status, s = -1, triggers, have_devices;
	long long bytes = (long long)mib << 20, sent = 0, got = 0, bad_at = -1, t0, t_ab = 0, t_ba = 0;
	long long t_start = now_ns(), udp_bytes = 0;
	long udp_ok = 0, udp_retries = 0, udp_bad = 0, pp_hold, pp_release, pp_release_run;
	const char *why, *err = NULL;
	struct sockaddr_in sa;
	char c, errbuf[200];
	pid_t pid;

	n = np_find_nics(nics, 4);
	say("# %s: %d virtio-net interface(s)\n", me, n);
	if (n < 2)
		return fail(me, "%d virtio-net NIC(s), 2 needed (scripts/qemu.py gives the run two on a hub; "
			       "CONFIG_VIRTIO_NET?)", n);
	/* A: the NIC with mergeable receive buffers, if one of the two has them and the other not. */
	a = &nics[0];
	b = &nics[1];
	if (!a->mrg_rxbuf && b->mrg_rxbuf) {
		a = &nics[1];
		b = &nics[0];
	}
	for (i = 0; i < 2; i++) {
		struct nic *x = i ? b : a;

		x->maps0 = np_dev_count(x->dev, "maps");
		say("# %s: nic_%c=%s virtio_%c=%s dev_%c=%s access_platform_%c=%d mrg_rxbuf_%c=%d addr_%c=%s\n",
		    me, 'a' + i, x->name, 'a' + i, x->vdev, 'a' + i, x->dev, 'a' + i,
		    x->access_platform, 'a' + i, x->mrg_rxbuf, 'a' + i, i ? NP_ADDR_B : NP_ADDR_A);
	}
	if (!a->access_platform || !b->access_platform)
		return fail(me, "a NIC did not negotiate VIRTIO_F_ACCESS_PLATFORM (iommu_platform=on, "
			       "non-legacy virtio): virtio would bypass the DMA API");
	have_devices = a->maps0 >= 0 && b->maps0 >= 0;
	triggers = np_trace_start();
	say("# %s: tracing instance %s: %d hist trigger(s)\n", me, NP_TRACE, triggers);

	/* up: the child's steps; down: NIC B's name; stop: the end of the echo; rep: the report */
	if (pipe(up) || pipe(down) || pipe(stop) || pipe(rep))
		return fail(me, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		return fail(me, "fork: %s", strerror(errno));
	if (pid == 0) {
		close(up[0]);
		close(down[1]);
		close(stop[1]);
		close(rep[0]);
		np_child(up[1], down[0], stop[0], rep[1], bytes);
	}
	close(up[1]);
	close(down[0]);
	close(stop[0]);
	close(rep[1]);
	if (read(up[0], &c, 1) != 1 || c != 'u') {
		err = "the child did not make its network namespace";
		goto reap;
	}
	i = np_move_to_netns(b->ifindex, pid);
	if (i) {
		snprintf(errbuf, sizeof(errbuf), "moving %s into the child's namespace (RTM_NEWLINK "
			 "IFLA_NET_NS_PID): %s", b->name, strerror(-i));
		err = errbuf;
		goto reap;
	}
	if (write(down[1], b->name, sizeof(b->name)) != sizeof(b->name)) {
		err = "the child went away";
		goto reap;
	}
	if (np_ifconfig(a->name, NP_ADDR_A, 1, &why)) {
		snprintf(errbuf, sizeof(errbuf), "%s %s: %s", why, a->name, strerror(errno));
		err = errbuf;
		goto reap;
	}
	if (read(up[0], &c, 1) != 1 || c != 'r') {
		err = "the child did not start its servers";
		goto reap;
	}
	/* TCP: A -> B, then B -> A on the same connection. */
	np_sockaddr(&sa, NP_ADDR_B, NP_TCP_PORT);
	for (i = 0; i < 5; i++) {
		s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		np_timeouts(s, NP_TIMEOUT_S * 1000);
		if (s >= 0 && !connect(s, (struct sockaddr *)&sa, sizeof(sa)))
			break;
		snprintf(errbuf, sizeof(errbuf), "TCP connect to %s: %s", NP_ADDR_B, strerror(errno));
		if (s >= 0)
			close(s);
		s = -1;
		usleep(200000);
	}
	if (s < 0) {
		err = errbuf;
		goto reap;
	}
	t0 = now_ns();
	sent = np_send_stream(s, bytes, NP_SEED_AB);
	shutdown(s, SHUT_WR);
	t_ab = now_ns() - t0;
	t0 = now_ns();
	got = np_recv_stream(s, NP_SEED_BA, &bad_at);
	t_ba = now_ns() - t0;
	close(s);
	udp_ok = np_udp(datagrams, &udp_retries, &udp_bad, &udp_bytes);
reap:
	close(stop[1]);
	close(down[1]);
	if (read(rep[0], &r, sizeof(r)) != sizeof(r))
		snprintf(r.err, sizeof(r.err), "the child reported nothing");
	close(rep[0]);
	close(up[0]);
	waitpid(pid, &status, 0);
	/* NIC B goes back to init's namespace with the child's: wait for it, then the teardown. */
	for (i = 0; i < 50; i++) {
		char name[IF_NAMESIZE];

		if (if_indextoname(b->ifindex, name))
			break;
		usleep(100000);
	}
	np_ifconfig(a->name, NULL, 0, &why);
	np_trace_maps(nics, n);
	/* Pages the pools gave back while they ran (ring full): each unmapped first, then freed. */
	pp_release_run = np_trace_hits("page_pool/page_pool_state_release");
	for (i = 0; i < 2; i++) {
		struct nic *x = i ? b : a;

		x->maps1 = np_dev_count(x->dev, "maps");
		if (np_unbind(x))
			say("# %s: unbinding %s from virtio_net: %s\n", me, x->vdev, strerror(errno));
		x->live1 = np_dev_count(x->dev, "live");
	}
	/*
	 * A page still held by an skb when its pool is destroyed was unmapped then (page_pool_scrub())
	 * and is freed when the skb goes: give such pages a few seconds to come back.
	 */
	pp_hold = np_trace_hits("page_pool/page_pool_state_hold");
	for (i = 0; i < 30; i++) {
		pp_release = np_trace_hits("page_pool/page_pool_state_release");
		if (pp_release >= pp_hold)
			break;
		usleep(100000);
	}

	say("# %s: ops=%lld tcp_a_to_b=%lld tcp_b_to_a=%lld tcp_a_to_b_ms=%lld tcp_b_to_a_ms=%lld "
	    "udp_datagrams=%ld udp_bytes=%lld udp_retries=%ld seconds=%.1f\n", me,
	    (r.tcp_got + got + udp_bytes) >> 20, r.tcp_got, got, t_ab / 1000000, t_ba / 1000000,
	    udp_ok, udp_bytes, udp_retries, (now_ns() - t_start) / 1e9);
	for (i = 0; i < 2; i++) {
		struct nic *x = i ? b : a;

		say("# %s: maps_%c=%ld trace_maps_%c=%ld rx_maps_%c=%ld page_pool_maps_%c=%ld "
		    "tx_maps_%c=%ld live_after_unbind_%c=%ld\n", me, 'a' + i,
		    have_devices ? x->maps1 - x->maps0 : -1, 'a' + i, x->h_maps, 'a' + i, x->h_rx,
		    'a' + i, x->h_pp, 'a' + i, x->h_tx, 'a' + i, x->live1);
	}
	say("# %s: page_pool_pages_held=%ld page_pool_pages_released=%ld page_pool_pages_released_before_unbind=%ld\n",
	    me, pp_hold, pp_release, pp_release_run);

	if (err)
		return fail(me, "%s", err);
	if (r.err[0])
		return fail(me, "child: %s", r.err);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return fail(me, "the child failed (status %d)", status);
	if (sent != bytes || r.tcp_got != bytes || r.tcp_bad_at != -1)
		return fail(me, "TCP %s -> %s: sent %lld of %lld bytes, received %lld, first wrong byte at %lld%s",
			       a->name, b->name, sent, bytes, r.tcp_got, r.tcp_bad_at,
			       r.tcp_bad_at == -2 ? " (receive error or timeout)" : "");
	if (r.tcp_sent != bytes || got != bytes || bad_at != -1)
		return fail(me, "TCP %s -> %s: sent %lld of %lld bytes, received %lld, first wrong byte at %lld%s",
			       b->name, a->name, r.tcp_sent, bytes, got, bad_at,
			       bad_at == -2 ? " (receive error or timeout)" : "");
	if (udp_ok != datagrams || udp_bad || r.udp_bad)
		return fail(me, "UDP: %ld of %d round trips intact, %ld echoes wrong, %ld datagrams wrong at %s",
			       udp_ok < 0 ? 0 : udp_ok, datagrams, udp_bad, r.udp_bad, b->name);
	/* 7.2's virtio-net receives into page_pool pages; they must be the pool's DMA mappings. */
	if (pp_hold > 0 && a->h_pp + b->h_pp <= 0)
		return fail(me, "the NICs' page pools took %ld pages but mapped none (no PP_FLAG_DMA_MAP): "
			       "receive buffers bypassed the DMA API", pp_hold);
	for (i = 0; i < 2; i++) {
		struct nic *x = i ? b : a;
		long maps = have_devices ? x->maps1 - x->maps0 : x->h_maps;

		if (maps <= 0)
			return fail(me, "%s (%s) made no DMA-API map (%s): the traffic bypassed the DMA API",
				       x->name, x->dev, have_devices ? "dma-api/devices" : "dma tracepoints");
		if (x->live1 > 0)
			return fail(me, "%s (%s) still has %ld live DMA-API mapping(s) after its unbind",
				       x->name, x->dev, x->live1);
	}
	return KTAP_OK;
}

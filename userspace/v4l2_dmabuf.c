// SPDX-License-Identifier: GPL-2.0
/*
 * Workload 'v4l2-dmabuf': V4L2 dma-buf sharing between two vivid instances, with a pattern check.
 *
 * The kernel runs with vivid.n_devs=2 vivid.allocators=1,1 (videobuf2-dma-contig: every buffer is
 * a coherent DMA allocation, and importing a dma-buf maps it for the importing device),
 * vivid.node_types=0x101,0x101 (a video capture and a video output node per instance),
 * vivid.ccs_cap_mode=-1,1 (vivid-001's capture crops, no compose, no scaler) and
 * vivid.ccs_out_mode=-1,2 (vivid-001's output composes, no crop, no scaler):
 *
 *   vivid-000 video capture, webcam input (test pattern generator), V4L2_MEMORY_MMAP buffers,
 *	each exported with VIDIOC_EXPBUF
 *	-> vivid-001 video output, HDMI output, V4L2_MEMORY_DMABUF: imports those dma-buf fds;
 *	   each frame is composed into the top-left VD_W x VD_H of the 1280x720p60 picture
 *	-> vivid-001 video capture, HDMI input at 1280x720p60 connected to that output (control
 *	   VIVID_CID_HDMI_IS_CONNECTED_TO_OUTPUT), cropping that same top-left VD_W x VD_H: vivid
 *	   copies the output buffer at the head of the output queue into each capture buffer
 *	   (vivid_copy_buffer(), one memcpy per line when nothing is scaled; vivid_vid_can_loop()
 *	   wants the same picture size, fourcc and field on both sides).
 *
 * Frames are 640x480 YUYV (614400 bytes): each dma-contig buffer is one contiguous chunk that the
 * importer maps as a single 600 KiB segment.  On the base kernel vivid's platform device kept
 * dma-direct's default 64 KiB maximum segment size, and dma-debug reported every such import
 * ("mapping sg segment longer than device claims to support [len=614400] [max=65536]"); the
 * series' vivid fix declares that vivid has no segment limit, and this size proves it.
 * All vivid instances share one platform device, so the export and the import are between video
 * nodes of one struct device.
 *
 * The pattern check ("intact"):
 *  - the source captures with OSD "Counters Only": vivid renders the frame's time stamp and sequence
 *    number into the picture, so every sent frame is different (checked: a sent frame equal to any
 *    of the last VD_HIST sent frames is an error);
 *  - the looped capture runs with OSD "None": vivid draws nothing over the looped video;
 *  - every looped frame is compared byte for byte (all sizeimage bytes) with the last VD_HIST sent
 *    frames, i.e. the exported buffers' content as the source device left it;
 *  - the loop may take up to VD_SETTLE_MAX looped frames to settle (output not streaming or empty
 *    yet: vivid then captures noise); after the first looped frame that equals a sent frame, EVERY
 *    looped frame must equal a sent frame, the sent frames seen must never go backwards, and at least
 *    frames / 2 different sent frames must have been seen through the loop.
 * Cleanup (STREAMOFF, REQBUFS 0, closing the dma-buf fds and nodes) must leave dma-debug with as
 * many live DMA entries as before the workload.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/videodev2.h>
#include <linux/v4l2-dv-timings.h>

#include "common.h"
#include "workloads.h"

#define VD_W		640	/* a vivid webcam size; a frame is far more than 64 KiB */
#define VD_H		480
#define VD_FOURCC	V4L2_PIX_FMT_YUYV
#define VD_BPL		(VD_W * 2)	/* 16 bits per pixel */
#define VD_SRC_FPS	15	/* the source webcam's frame rate; HDMI out and in run at 60 Hz */
#define VD_NBUF		6	/* source capture buffers, each exported and imported by the output */
#define VD_LOOP_NBUF	4	/* looped capture buffers */
#define VD_HIST		16	/* sent frames kept to compare looped frames with */
#define VD_SETTLE_MAX	30	/* looped frames allowed before the loop carries the sent frames */
#define VD_STALL_MS	5000	/* a queue that returns no buffer for this long is a FAIL */
#define VD_DEADLINE_MS	120000	/* the whole streaming phase */

/* Private vivid controls (drivers/media/test-drivers/vivid/vivid-ctrls.c). */
#define VIVID_CID_VIVID_BASE		(0x00f00000 | 0xf000)
#define VIVID_CID_OSD_TEXT_MODE		(VIVID_CID_VIVID_BASE + 1)
#define VIVID_CID_HDMI_IS_CONNECTED_TO_OUTPUT(input) (VIVID_CID_VIVID_BASE + 113 + (input))
#define VIVID_OSD_COUNTERS_ONLY		1
#define VIVID_OSD_NONE			2

#define CAP	V4L2_BUF_TYPE_VIDEO_CAPTURE
#define OUT	V4L2_BUF_TYPE_VIDEO_OUTPUT

struct vd_node {
	int fd;
	int inst;		/* vivid instance, from bus_info "platform:vivid-NNN" */
	char path[32];
	const char *role;
	int reqbufs;		/* buffers allocated: REQBUFS 0 at cleanup */
	int streaming;
};

struct vd_buf {
	void *mem;
	size_t len;
	int dmafd;
};

struct vd_ctx {
	struct vd_node src, out, loop;
	struct vd_buf sbuf[VD_NBUF];
	unsigned int nsrc;
	struct vd_buf lbuf[VD_LOOP_NBUF];
	unsigned int nloop;
	size_t size;
	int conn_ctrl;		/* the HDMI connection control set on the loop node, or 0 */

	unsigned char *hist[VD_HIST];
	long nsent;		/* frames queued to the output */
	long out_done;		/* output buffers dequeued: frames streamed through the importer */
	long loop_frames, settle, matched, mismatched, distinct, backwards, dup_sent;
	long last_match;
	int established;
	char mismatch[96];	/* what the first mismatch was */
	char err[200];		/* the first error */
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* Record the first error; always returns -1. */
static int vd_fail(struct vd_ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (c->err[0])
		return -1;
	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return -1;
}

static int vd_ioctl(struct vd_ctx *c, struct vd_node *n, unsigned long req, void *arg,
		    const char *name)
{
	int r;

	do
		r = ioctl(n->fd, req, arg);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return vd_fail(c, "%s on %s (vivid-%03d %s): %s", name, n->path, n->inst, n->role,
			       strerror(errno));
	return 0;
}

#define VD_IOCTL(c, n, req, arg) vd_ioctl(c, n, req, arg, #req)

/* Live dma-debug entries (nr_total_entries - num_free_entries), or -1 without dma-debug. */
static long dma_live_entries(void)
{
	long total = read_long(DEBUGFS "/dma-api/nr_total_entries");
	long free = read_long(DEBUGFS "/dma-api/num_free_entries");

	return total < 0 || free < 0 ? -1 : total - free;
}

/* Find vivid-000's video capture node and vivid-001's video output and capture nodes. */
static int vd_find_nodes(struct vd_ctx *c)
{
	char found[160] = "";
	int i;

	for (i = 0; i < 64; i++) {
		struct v4l2_capability cap;
		struct vd_node *n = NULL;
		char path[32];
		__u32 caps;
		int fd, inst;

		snprintf(path, sizeof(path), "/dev/video%d", i);
		fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;
		memset(&cap, 0, sizeof(cap));
		if (ioctl(fd, VIDIOC_QUERYCAP, &cap) ||
		    strcmp((const char *)cap.driver, "vivid") ||
		    sscanf((const char *)cap.bus_info, "platform:vivid-%d", &inst) != 1) {
			close(fd);
			continue;
		}
		caps = cap.capabilities & V4L2_CAP_DEVICE_CAPS ? cap.device_caps : cap.capabilities;
		snprintf(found + strlen(found), sizeof(found) - strlen(found), " %s:%d:%#x",
			 path + 5, inst, caps);
		if (!(caps & V4L2_CAP_STREAMING))
			;
		else if (inst == 0 && (caps & V4L2_CAP_VIDEO_CAPTURE) && c->src.fd < 0)
			n = &c->src;
		else if (inst == 1 && (caps & V4L2_CAP_VIDEO_OUTPUT) && c->out.fd < 0)
			n = &c->out;
		else if (inst == 1 && (caps & V4L2_CAP_VIDEO_CAPTURE) && c->loop.fd < 0)
			n = &c->loop;
		if (!n) {
			close(fd);
			continue;
		}
		n->fd = fd;
		n->inst = inst;
		memcpy(n->path, path, sizeof(path));
	}
	if (c->src.fd < 0 || c->out.fd < 0 || c->loop.fd < 0)
		return vd_fail(c, "vivid nodes missing (need vivid-000 capture and vivid-001 output and capture; found:%s)",
			       found[0] ? found : " none");
	return 0;
}

/* Select the first input (want_dv: with DV timings, i.e. HDMI; else a camera); return its index. */
static int vd_select_input(struct vd_ctx *c, struct vd_node *n, int want_dv, int *dv_ordinal)
{
	struct v4l2_input in;
	int ndv = 0;
	__u32 i;

	for (i = 0; ; i++) {
		memset(&in, 0, sizeof(in));
		in.index = i;
		if (ioctl(n->fd, VIDIOC_ENUMINPUT, &in))
			return vd_fail(c, "%s has no %s input", n->path, want_dv ? "HDMI" : "camera");
		if (want_dv ? !!(in.capabilities & V4L2_IN_CAP_DV_TIMINGS) :
			      in.type == V4L2_INPUT_TYPE_CAMERA)
			break;
		if (in.capabilities & V4L2_IN_CAP_DV_TIMINGS)
			ndv++;
	}
	if (dv_ordinal)
		*dv_ordinal = ndv;
	return VD_IOCTL(c, n, VIDIOC_S_INPUT, &i) ? -1 : (int)i;
}

/* Select the first output with DV timings (HDMI); return its ordinal among the HDMI outputs. */
static int vd_select_hdmi_output(struct vd_ctx *c, struct vd_node *n)
{
	struct v4l2_output out;
	__u32 i;

	for (i = 0; ; i++) {
		memset(&out, 0, sizeof(out));
		out.index = i;
		if (ioctl(n->fd, VIDIOC_ENUMOUTPUT, &out))
			return vd_fail(c, "%s has no HDMI output", n->path);
		if (out.capabilities & V4L2_OUT_CAP_DV_TIMINGS)
			break;
	}
	return VD_IOCTL(c, n, VIDIOC_S_OUTPUT, &i) ? -1 : 0;
}

static int vd_s_dv_timings(struct vd_ctx *c, struct vd_node *n)
{
	struct v4l2_dv_timings t = V4L2_DV_BT_CEA_1280X720P60;

	return VD_IOCTL(c, n, VIDIOC_S_DV_TIMINGS, &t);
}

/* Check that control 'id' exists on n with this name, then set it. */
static int vd_s_ctrl(struct vd_ctx *c, struct vd_node *n, __u32 id, const char *name, int val)
{
	struct v4l2_queryctrl q = { .id = id };
	struct v4l2_control ctl = { .id = id, .value = val };

	if (VD_IOCTL(c, n, VIDIOC_QUERYCTRL, &q))
		return -1;
	if (strcmp((const char *)q.name, name))
		return vd_fail(c, "control %#x on %s is '%s', expected '%s'", id, n->path, q.name,
			       name);
	return VD_IOCTL(c, n, VIDIOC_S_CTRL, &ctl);
}

/* The index of menu item 'item' of control 'id', or -1. */
static int vd_menu_index(struct vd_ctx *c, struct vd_node *n, __u32 id, const char *item)
{
	struct v4l2_queryctrl q = { .id = id };
	int i;

	if (VD_IOCTL(c, n, VIDIOC_QUERYCTRL, &q))
		return -1;
	for (i = q.minimum; i <= q.maximum; i++) {
		struct v4l2_querymenu m = { .id = id, .index = i };

		if (!ioctl(n->fd, VIDIOC_QUERYMENU, &m) && !strcmp((const char *)m.name, item))
			return i;
	}
	return vd_fail(c, "control '%s' on %s has no menu item '%s'", q.name, n->path, item);
}

/* All three queues use one format: VD_W x VD_H VD_FOURCC progressive, one sizeimage. */
static int vd_check_fmt(struct vd_ctx *c, struct vd_node *n, struct v4l2_format *f,
			const char *ioctl_name)
{
	struct v4l2_pix_format *p = &f->fmt.pix;

	if (p->width != VD_W || p->height != VD_H || p->pixelformat != VD_FOURCC ||
	    p->field != V4L2_FIELD_NONE || p->bytesperline != VD_BPL)
		return vd_fail(c, "%s on %s gave %ux%u %.4s field %u bpl %u, not %ux%u %.4s progressive bpl %u",
			       ioctl_name, n->path, p->width, p->height, (const char *)&p->pixelformat,
			       p->field, p->bytesperline, VD_W, VD_H, (const char *)&(__u32){ VD_FOURCC },
			       VD_BPL);
	if (c->size && p->sizeimage != c->size)
		return vd_fail(c, "%s on %s: sizeimage %u, the source's is %zu", ioctl_name, n->path,
			       p->sizeimage, c->size);
	c->size = p->sizeimage;
	return 0;
}

static int vd_s_fmt(struct vd_ctx *c, struct vd_node *n, __u32 type)
{
	struct v4l2_format f = { .type = type };
	struct v4l2_pix_format *p = &f.fmt.pix;

	p->width = VD_W;
	p->height = VD_H;
	p->pixelformat = VD_FOURCC;
	p->field = V4L2_FIELD_NONE;
	if (VD_IOCTL(c, n, VIDIOC_S_FMT, &f))
		return -1;
	return vd_check_fmt(c, n, &f, "VIDIOC_S_FMT");
}

/*
 * Put the VD_W x VD_H window at the top left of the 1280x720 HDMI picture (target: the output's
 * COMPOSE or the capture's CROP rectangle), then check that the format did not change.
 */
static int vd_window(struct vd_ctx *c, struct vd_node *n, __u32 type, __u32 target)
{
	struct v4l2_selection sel = { .type = type, .target = target };
	struct v4l2_format f = { .type = type };

	sel.r.width = VD_W;
	sel.r.height = VD_H;
	if (VD_IOCTL(c, n, VIDIOC_S_SELECTION, &sel))
		return -1;
	memset(&sel.r, 0, sizeof(sel.r));
	if (VD_IOCTL(c, n, VIDIOC_G_SELECTION, &sel))
		return -1;
	if (sel.r.left || sel.r.top || sel.r.width != VD_W || sel.r.height != VD_H)
		return vd_fail(c, "VIDIOC_G_SELECTION on %s: %s %ux%u@%d,%d, not %ux%u@0,0", n->path,
			       target == V4L2_SEL_TGT_CROP ? "crop" : "compose", sel.r.width,
			       sel.r.height, sel.r.left, sel.r.top, VD_W, VD_H);
	if (VD_IOCTL(c, n, VIDIOC_G_FMT, &f))
		return -1;
	return vd_check_fmt(c, n, &f, "VIDIOC_G_FMT");
}

static int vd_reqbufs(struct vd_ctx *c, struct vd_node *n, __u32 type, __u32 memory,
		      unsigned int count)
{
	struct v4l2_requestbuffers rb = { .count = count, .type = type, .memory = memory };

	if (VD_IOCTL(c, n, VIDIOC_REQBUFS, &rb))
		return -1;
	n->reqbufs = count ? (int)memory : 0;
	if (count && (rb.count < 2 || rb.count < count))
		return vd_fail(c, "VIDIOC_REQBUFS on %s gave %u buffers, asked for %u", n->path,
			       rb.count, count);
	return count ? (int)count : 0;
}

/* QUERYBUF and mmap buffer i of an MMAP queue. */
static int vd_map(struct vd_ctx *c, struct vd_node *n, __u32 type, __u32 i, struct vd_buf *b)
{
	struct v4l2_buffer vb = { .type = type, .memory = V4L2_MEMORY_MMAP, .index = i };

	if (VD_IOCTL(c, n, VIDIOC_QUERYBUF, &vb))
		return -1;
	if (vb.length < c->size)
		return vd_fail(c, "buffer %u of %s is %u bytes, sizeimage is %zu", i, n->path,
			       vb.length, c->size);
	b->mem = mmap(NULL, vb.length, PROT_READ, MAP_SHARED, n->fd, vb.m.offset);
	if (b->mem == MAP_FAILED) {
		b->mem = NULL;
		return vd_fail(c, "mmap of buffer %u of %s: %s", i, n->path, strerror(errno));
	}
	b->len = vb.length;
	return 0;
}

static int vd_qbuf_mmap(struct vd_ctx *c, struct vd_node *n, __u32 i)
{
	struct v4l2_buffer vb = { .type = CAP, .memory = V4L2_MEMORY_MMAP, .index = i };

	return VD_IOCTL(c, n, VIDIOC_QBUF, &vb);
}

/* Dequeue one buffer: 1 if one was dequeued, 0 if none was ready, -1 on error. */
static int vd_dqbuf(struct vd_ctx *c, struct vd_node *n, struct v4l2_buffer *vb, __u32 type,
		    __u32 memory, unsigned int nbufs)
{
	memset(vb, 0, sizeof(*vb));
	vb->type = type;
	vb->memory = memory;
	if (ioctl(n->fd, VIDIOC_DQBUF, vb)) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		return vd_fail(c, "VIDIOC_DQBUF on %s (vivid-%03d %s): %s", n->path, n->inst, n->role,
			       strerror(errno));
	}
	if (vb->index >= nbufs)
		return vd_fail(c, "VIDIOC_DQBUF on %s: index %u of %u buffers", n->path, vb->index,
			       nbufs);
	if (vb->flags & V4L2_BUF_FLAG_ERROR)
		return vd_fail(c, "VIDIOC_DQBUF on %s: buffer %u flagged V4L2_BUF_FLAG_ERROR",
			       n->path, vb->index);
	if (type == CAP && vb->bytesused != c->size)
		return vd_fail(c, "VIDIOC_DQBUF on %s: bytesused %u, sizeimage %zu", n->path,
			       vb->bytesused, c->size);
	return 1;
}

/* A source frame: keep a copy of what is sent, queue the exported buffer to the output. */
static int vd_src_frame(struct vd_ctx *c)
{
	struct v4l2_buffer vb, ob;
	const unsigned char *mem;
	long k;
	int r;

	r = vd_dqbuf(c, &c->src, &vb, CAP, V4L2_MEMORY_MMAP, c->nsrc);
	if (r <= 0)
		return r;
	mem = c->sbuf[vb.index].mem;
	for (k = 0; k < c->nsent && k < VD_HIST; k++)
		if (!memcmp(c->hist[k], mem, c->size))
			c->dup_sent++;
	memcpy(c->hist[c->nsent % VD_HIST], mem, c->size);

	memset(&ob, 0, sizeof(ob));
	ob.type = OUT;
	ob.memory = V4L2_MEMORY_DMABUF;
	ob.index = vb.index;
	ob.m.fd = c->sbuf[vb.index].dmafd;
	ob.length = c->sbuf[vb.index].len;
	ob.bytesused = c->size;
	ob.field = V4L2_FIELD_NONE;
	if (VD_IOCTL(c, &c->out, VIDIOC_QBUF, &ob))
		return -1;
	c->nsent++;
	return 1;
}

/* The output is done with an imported buffer: give it back to the source capture. */
static int vd_out_frame(struct vd_ctx *c)
{
	struct v4l2_buffer vb;
	int r;

	r = vd_dqbuf(c, &c->out, &vb, OUT, V4L2_MEMORY_DMABUF, c->nsrc);
	if (r <= 0)
		return r;
	c->out_done++;
	return vd_qbuf_mmap(c, &c->src, vb.index) ? -1 : 1;
}

/* A looped frame: which sent frame is it, byte for byte? */
static int vd_loop_frame(struct vd_ctx *c)
{
	const unsigned char *mem;
	struct v4l2_buffer vb;
	long k, seq = -1;
	int r;

	r = vd_dqbuf(c, &c->loop, &vb, CAP, V4L2_MEMORY_MMAP, c->nloop);
	if (r <= 0)
		return r;
	c->loop_frames++;
	mem = c->lbuf[vb.index].mem;
	for (k = c->nsent - 1; k >= 0 && k >= c->nsent - VD_HIST; k--) {
		if (!memcmp(c->hist[k % VD_HIST], mem, c->size)) {
			seq = k;
			break;
		}
	}
	if (seq >= 0) {
		c->established = 1;
		c->matched++;
		if (seq < c->last_match)
			c->backwards++;
		if (seq != c->last_match)
			c->distinct++;
		c->last_match = seq;
	} else if (!c->established) {
		c->settle++;
	} else {
		if (!c->mismatched) {
			const unsigned char *last = c->hist[(c->nsent - 1) % VD_HIST];
			size_t off = 0;

			while (off < c->size && last[off] == mem[off])
				off++;
			snprintf(c->mismatch, sizeof(c->mismatch),
				 "looped frame %u (sent %ld) differs from the last sent at byte %zu",
				 vb.sequence, c->nsent, off);
		}
		c->mismatched++;
	}
	return vd_qbuf_mmap(c, &c->loop, vb.index) ? -1 : 1;
}

static int vd_setup(struct vd_ctx *c)
{
	char item[32];
	int hdmi_in, menu;
	unsigned int i;

	if (vd_find_nodes(c))
		return -1;

	/* Source: vivid-000's webcam, OSD counters only, VD_SRC_FPS. */
	{
		struct v4l2_streamparm parm = { .type = CAP };

		if (vd_select_input(c, &c->src, 0, NULL) < 0 ||
		    vd_s_ctrl(c, &c->src, VIVID_CID_OSD_TEXT_MODE, "OSD Text Mode",
			      VIVID_OSD_COUNTERS_ONLY) || vd_s_fmt(c, &c->src, CAP))
			return -1;
		parm.parm.capture.timeperframe.numerator = 1;
		parm.parm.capture.timeperframe.denominator = VD_SRC_FPS;
		if (VD_IOCTL(c, &c->src, VIDIOC_S_PARM, &parm))
			return -1;
	}
	/* Importer: vivid-001's HDMI output at 1280x720p60, the frames composed at its top left. */
	if (vd_select_hdmi_output(c, &c->out) || vd_s_dv_timings(c, &c->out) ||
	    vd_s_fmt(c, &c->out, OUT) || vd_window(c, &c->out, OUT, V4L2_SEL_TGT_COMPOSE))
		return -1;
	/*
	 * Loop: vivid-001's first HDMI input at 1280x720p60, connected to vivid-001's first HDMI
	 * output, cropping the window the output composes into, no OSD.
	 */
	if (vd_select_input(c, &c->loop, 1, &hdmi_in) < 0 || vd_s_dv_timings(c, &c->loop) ||
	    vd_s_ctrl(c, &c->loop, VIVID_CID_OSD_TEXT_MODE, "OSD Text Mode", VIVID_OSD_NONE))
		return -1;
	{
		char name[40];

		snprintf(name, sizeof(name), "HDMI %03d-%d Is Connected To", c->loop.inst, hdmi_in);
		snprintf(item, sizeof(item), "Output HDMI %03d-0", c->out.inst);
		menu = vd_menu_index(c, &c->loop, VIVID_CID_HDMI_IS_CONNECTED_TO_OUTPUT(hdmi_in),
				     item);
		if (menu < 0 ||
		    vd_s_ctrl(c, &c->loop, VIVID_CID_HDMI_IS_CONNECTED_TO_OUTPUT(hdmi_in), name, menu))
			return -1;
		c->conn_ctrl = VIVID_CID_HDMI_IS_CONNECTED_TO_OUTPUT(hdmi_in);
	}
	if (vd_s_fmt(c, &c->loop, CAP) || vd_window(c, &c->loop, CAP, V4L2_SEL_TGT_CROP))
		return -1;

	for (i = 0; i < VD_HIST; i++) {
		c->hist[i] = malloc(c->size);
		if (!c->hist[i])
			return vd_fail(c, "malloc: out of memory");
	}

	/* Source buffers: MMAP, each exported as a dma-buf. */
	if (vd_reqbufs(c, &c->src, CAP, V4L2_MEMORY_MMAP, VD_NBUF) < 0)
		return -1;
	c->nsrc = VD_NBUF;
	for (i = 0; i < c->nsrc; i++) {
		struct v4l2_exportbuffer eb = {
			.type = CAP, .index = i, .flags = O_RDONLY | O_CLOEXEC,
		};

		if (vd_map(c, &c->src, CAP, i, &c->sbuf[i]) ||
		    VD_IOCTL(c, &c->src, VIDIOC_EXPBUF, &eb))
			return -1;
		c->sbuf[i].dmafd = eb.fd;
	}
	/* The importer: as many DMABUF buffers, buffer i always carries dma-buf i. */
	if (vd_reqbufs(c, &c->out, OUT, V4L2_MEMORY_DMABUF, c->nsrc) < 0)
		return -1;
	/* Loop capture buffers. */
	if (vd_reqbufs(c, &c->loop, CAP, V4L2_MEMORY_MMAP, VD_LOOP_NBUF) < 0)
		return -1;
	c->nloop = VD_LOOP_NBUF;
	for (i = 0; i < c->nloop; i++)
		if (vd_map(c, &c->loop, CAP, i, &c->lbuf[i]) || vd_qbuf_mmap(c, &c->loop, i))
			return -1;
	for (i = 0; i < c->nsrc; i++)
		if (vd_qbuf_mmap(c, &c->src, i))
			return -1;
	{
		__u32 tout = OUT, tcap = CAP;

		if (VD_IOCTL(c, &c->out, VIDIOC_STREAMON, &tout))
			return -1;
		c->out.streaming = 1;
		if (VD_IOCTL(c, &c->loop, VIDIOC_STREAMON, &tcap))
			return -1;
		c->loop.streaming = 1;
		if (VD_IOCTL(c, &c->src, VIDIOC_STREAMON, &tcap))
			return -1;
		c->src.streaming = 1;
	}
	return 0;
}

static int vd_stream(struct vd_ctx *c, int frames)
{
	long start = now_ms(), last[3];
	struct vd_node *n[3] = { &c->src, &c->out, &c->loop };
	int i;

	for (i = 0; i < 3; i++)
		last[i] = start;
	while (c->out_done < frames) {
		struct pollfd p[3] = {
			{ .fd = c->src.fd, .events = POLLIN },
			{ .fd = c->out.fd, .events = POLLOUT },
			{ .fd = c->loop.fd, .events = POLLIN },
		};
		long t;
		int r;

		r = poll(p, 3, 200);
		if (r < 0 && errno != EINTR)
			return vd_fail(c, "poll: %s", strerror(errno));
		t = now_ms();
		for (i = 0; r > 0 && i < 3; i++) {
			int got;

			if (p[i].revents & (POLLERR | POLLNVAL))
				return vd_fail(c, "poll: error on %s (%s)", n[i]->path, n[i]->role);
			if (!(p[i].revents & p[i].events))
				continue;
			got = i == 0 ? vd_src_frame(c) : i == 1 ? vd_out_frame(c) : vd_loop_frame(c);
			if (got < 0)
				return -1;
			if (got > 0)
				last[i] = t;
		}
		/* The output first: the source starves when the output holds every buffer. */
		for (i = 1; i < 4; i++) {
			int q = i % 3;

			if (t - last[q] > VD_STALL_MS)
				return vd_fail(c, "VIDIOC_DQBUF on %s (%s): no buffer for %d s (sent %ld, streamed %ld, looped %ld)",
					       n[q]->path, n[q]->role, VD_STALL_MS / 1000, c->nsent,
					       c->out_done, c->loop_frames);
		}
		if (t - start > VD_DEADLINE_MS)
			return vd_fail(c, "only %ld of %d frames streamed in %d s", c->out_done, frames,
				       VD_DEADLINE_MS / 1000);
	}
	return 0;
}

static void vd_cleanup(struct vd_ctx *c)
{
	struct vd_node *n[3] = { &c->loop, &c->out, &c->src };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		__u32 type = n[i] == &c->out ? OUT : CAP;

		if (n[i]->streaming && !VD_IOCTL(c, n[i], VIDIOC_STREAMOFF, &type))
			n[i]->streaming = 0;
	}
	if (c->conn_ctrl) {
		struct v4l2_control ctl = { .id = c->conn_ctrl, .value = 0 };

		VD_IOCTL(c, &c->loop, VIDIOC_S_CTRL, &ctl);
	}
	/* The importer first: its dma-buf attachments and mappings go with its buffers. */
	if (c->out.reqbufs)
		vd_reqbufs(c, &c->out, OUT, V4L2_MEMORY_DMABUF, 0);
	for (i = 0; i < c->nsrc; i++) {
		if (c->sbuf[i].dmafd >= 0)
			close(c->sbuf[i].dmafd);
		if (c->sbuf[i].mem)
			munmap(c->sbuf[i].mem, c->sbuf[i].len);
	}
	if (c->src.reqbufs)
		vd_reqbufs(c, &c->src, CAP, V4L2_MEMORY_MMAP, 0);
	for (i = 0; i < c->nloop; i++)
		if (c->lbuf[i].mem)
			munmap(c->lbuf[i].mem, c->lbuf[i].len);
	if (c->loop.reqbufs)
		vd_reqbufs(c, &c->loop, CAP, V4L2_MEMORY_MMAP, 0);
	for (i = 0; i < 3; i++)
		if (n[i]->fd >= 0)
			close(n[i]->fd);
	for (i = 0; i < VD_HIST; i++)
		free(c->hist[i]);
}

enum ktap_status v4l2_dmabuf_workload(int frames)
{
	struct vd_ctx *c = calloc(1, sizeof(*c));
	long dma_before, dma_after, t0;
	unsigned int i;
	int ok;

	if (!c) {
		say("# v4l2-dmabuf: error: calloc: out of memory\n");
		return KTAP_FAIL;
	}
	c->src.fd = c->out.fd = c->loop.fd = -1;
	c->src.role = "source capture, exporter";
	c->out.role = "output, importer";
	c->loop.role = "loop capture";
	c->last_match = -1;
	for (i = 0; i < VD_NBUF; i++)
		c->sbuf[i].dmafd = -1;

	dma_before = dma_live_entries();
	t0 = now_ms();
	if (!vd_setup(c))
		vd_stream(c, frames);
	vd_cleanup(c);
	dma_after = dma_live_entries();
	t0 = now_ms() - t0;

	if (!c->err[0] && dma_after != dma_before)
		vd_fail(c, "dma-debug: %ld live DMA entries before the workload, %ld after cleanup",
			dma_before, dma_after);
	if (!c->err[0] && c->dup_sent)
		vd_fail(c, "%ld sent frames equal an earlier one: the check cannot tell frames apart",
			c->dup_sent);
	if (!c->err[0] && !c->established)
		vd_fail(c, "no looped frame equals a sent frame (%ld looped frames)", c->loop_frames);
	if (!c->err[0] && c->settle > VD_SETTLE_MAX)
		vd_fail(c, "the loop took %ld frames to settle, more than %d", c->settle,
			VD_SETTLE_MAX);
	if (!c->err[0] && c->mismatched)
		vd_fail(c, "%ld looped frames after settling equal no sent frame; first: %s",
			c->mismatched, c->mismatch);
	if (!c->err[0] && c->backwards)
		vd_fail(c, "%ld looped frames went back to an older sent frame", c->backwards);
	if (!c->err[0] && c->distinct < frames / 2)
		vd_fail(c, "only %ld different sent frames seen through the loop, want %d",
			c->distinct, frames / 2);
	ok = !c->err[0];
	say("# v4l2-dmabuf: ops=%ld format=%ux%u-%.4s bytes=%zu frames=%ld matched=%ld looped=%ld settle=%ld mismatched=%ld distinct=%ld sent=%ld ms=%ld dma_live=%ld/%ld\n",
	    c->out_done, VD_W, VD_H, (const char *)&(__u32){ VD_FOURCC }, c->size, c->out_done,
	    c->matched, c->loop_frames, c->settle, c->mismatched, c->distinct, c->nsent, t0,
	    dma_before, dma_after);
	if (!ok)
		say("# v4l2-dmabuf: error: %s\n", c->err);
	free(c);
	return ok ? KTAP_OK : KTAP_FAIL;
}

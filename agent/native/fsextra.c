/*
 * The few Linux file calls Node's fs module lacks and the layer engine needs:
 * extended attributes on the link itself (lsetxattr/lgetxattr/llistxattr/lremovexattr) and
 * mknod for device nodes and fifos. Synchronous on purpose: the callers work
 * on tmpfs, where a syscall costs less than a thread-pool round trip.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/xattr.h>
#include <node_api.h>
#include <uv.h>

#define PATH_BUF 4097
#define NAME_BUF 256

static napi_value throw_errno(napi_env env, int err, const char *syscall, const char *path) {
  char msg[PATH_BUF + 128];
  snprintf(msg, sizeof msg, "%s: %s, %s '%s'", uv_err_name(-err), strerror(err), syscall, path);
  napi_value code, message, error, errnum, sys, p;
  napi_create_string_utf8(env, uv_err_name(-err), NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &message);
  napi_create_error(env, code, message, &error);
  napi_create_int32(env, -err, &errnum);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &sys);
  napi_create_string_utf8(env, path, NAPI_AUTO_LENGTH, &p);
  napi_set_named_property(env, error, "errno", errnum);
  napi_set_named_property(env, error, "syscall", sys);
  napi_set_named_property(env, error, "path", p);
  napi_throw(env, error);
  return NULL;
}

static int get_string(napi_env env, napi_value v, char *buf, size_t cap, const char *what) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, buf, cap, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, what);
    return 0;
  }
  if (len >= cap - 1) {
    napi_throw_range_error(env, "ENAMETOOLONG", what);
    return 0;
  }
  return 1;
}

/* A path or xattr name: a JS string (UTF-8) or a Buffer of raw bytes, for names
 * that are not valid UTF-8 (tar entries may carry any bytes but NUL). */
static int get_name(napi_env env, napi_value v, char *buf, size_t cap, const char *what) {
  bool is_buffer = false;
  napi_is_buffer(env, v, &is_buffer);
  if (!is_buffer) return get_string(env, v, buf, cap, what);
  void *data = NULL;
  size_t len = 0;
  napi_get_buffer_info(env, v, &data, &len);
  if (len >= cap - 1) {
    napi_throw_range_error(env, "ENAMETOOLONG", what);
    return 0;
  }
  if (memchr(data, 0, len) != NULL) {
    napi_throw_type_error(env, NULL, what);
    return 0;
  }
  memcpy(buf, data, len);
  buf[len] = 0;
  return 1;
}

static int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < want) {
    napi_throw_type_error(env, NULL, "missing arguments");
    return 0;
  }
  return 1;
}

/* lsetxattr(path: string | Buffer, name: string | Buffer, value: Buffer): void */
static napi_value js_lsetxattr(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  char path[PATH_BUF], name[NAME_BUF];
  void *data = NULL;
  size_t size = 0;
  if (!get_args(env, info, 3, argv)) return NULL;
  if (!get_name(env, argv[0], path, sizeof path, "path must be a string or Buffer without NUL")) return NULL;
  if (!get_name(env, argv[1], name, sizeof name, "xattr name must be a string or Buffer without NUL")) return NULL;
  if (napi_get_buffer_info(env, argv[2], &data, &size) != napi_ok) {
    napi_throw_type_error(env, NULL, "xattr value must be a Buffer");
    return NULL;
  }
  if (lsetxattr(path, name, data, size, 0) != 0) return throw_errno(env, errno, "lsetxattr", path);
  return NULL;
}

/* lgetxattr(path: string | Buffer, name: string | Buffer): Buffer */
static napi_value js_lgetxattr(napi_env env, napi_callback_info info) {
  napi_value argv[2], result;
  char path[PATH_BUF], name[NAME_BUF];
  if (!get_args(env, info, 2, argv)) return NULL;
  if (!get_name(env, argv[0], path, sizeof path, "path must be a string or Buffer without NUL")) return NULL;
  if (!get_name(env, argv[1], name, sizeof name, "xattr name must be a string or Buffer without NUL")) return NULL;
  for (;;) {
    ssize_t size = lgetxattr(path, name, NULL, 0);
    if (size < 0) return throw_errno(env, errno, "lgetxattr", path);
    void *data = NULL;
    if (napi_create_buffer(env, (size_t)size, &data, &result) != napi_ok) return NULL;
    ssize_t got = size == 0 ? 0 : lgetxattr(path, name, data, (size_t)size);
    if (got >= 0) {
      if (got == size) return result;
      napi_value slice;
      napi_create_buffer_copy(env, (size_t)got, data, NULL, &slice);
      return slice;
    }
    if (errno != ERANGE) return throw_errno(env, errno, "lgetxattr", path);
  }
}

/* llistxattr(path: string | Buffer): string[] */
static napi_value js_llistxattr(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  char path[PATH_BUF];
  if (!get_args(env, info, 1, argv)) return NULL;
  if (!get_name(env, argv[0], path, sizeof path, "path must be a string or Buffer without NUL")) return NULL;
  for (;;) {
    ssize_t size = llistxattr(path, NULL, 0);
    if (size < 0) return throw_errno(env, errno, "llistxattr", path);
    char *names = malloc((size_t)size + 1);
    if (names == NULL) return throw_errno(env, ENOMEM, "llistxattr", path);
    ssize_t got = size == 0 ? 0 : llistxattr(path, names, (size_t)size);
    if (got < 0) {
      int err = errno;
      free(names);
      if (err == ERANGE) continue;
      return throw_errno(env, err, "llistxattr", path);
    }
    napi_create_array(env, &result);
    uint32_t index = 0;
    for (ssize_t at = 0; at < got;) {
      size_t len = strnlen(names + at, (size_t)(got - at));
      napi_value item;
      napi_create_string_utf8(env, names + at, len, &item);
      napi_set_element(env, result, index++, item);
      at += (ssize_t)len + 1;
    }
    free(names);
    return result;
  }
}

/* lremovexattr(path: string | Buffer, name: string | Buffer): void */
static napi_value js_lremovexattr(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  char path[PATH_BUF], name[NAME_BUF];
  if (!get_args(env, info, 2, argv)) return NULL;
  if (!get_name(env, argv[0], path, sizeof path, "path must be a string or Buffer without NUL")) return NULL;
  if (!get_name(env, argv[1], name, sizeof name, "xattr name must be a string or Buffer without NUL")) return NULL;
  if (lremovexattr(path, name) != 0) return throw_errno(env, errno, "lremovexattr", path);
  return NULL;
}

/* mknod(path: string | Buffer, mode: number, major: number, minor: number): void
 * mode carries the file type (S_IFCHR, S_IFBLK, S_IFIFO) and permission bits. */
static napi_value js_mknod(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  char path[PATH_BUF];
  uint32_t mode = 0, major_no = 0, minor_no = 0;
  if (!get_args(env, info, 4, argv)) return NULL;
  if (!get_name(env, argv[0], path, sizeof path, "path must be a string or Buffer without NUL")) return NULL;
  if (napi_get_value_uint32(env, argv[1], &mode) != napi_ok ||
      napi_get_value_uint32(env, argv[2], &major_no) != napi_ok ||
      napi_get_value_uint32(env, argv[3], &minor_no) != napi_ok) {
    napi_throw_type_error(env, NULL, "mode, major and minor must be numbers");
    return NULL;
  }
  if (mknod(path, (mode_t)mode, makedev(major_no, minor_no)) != 0) return throw_errno(env, errno, "mknod", path);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"lsetxattr", NULL, js_lsetxattr, NULL, NULL, NULL, napi_default, NULL},
      {"lgetxattr", NULL, js_lgetxattr, NULL, NULL, NULL, napi_default, NULL},
      {"llistxattr", NULL, js_llistxattr, NULL, NULL, NULL, napi_default, NULL},
      {"lremovexattr", NULL, js_lremovexattr, NULL, NULL, NULL, napi_default, NULL},
      {"mknod", NULL, js_mknod, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)

#include "runtime/FileIO.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace needle::runtime {

namespace {
Status errnoError(const std::string &path, const char *what, int error) {
  return Status::error(path + ": " + what + ": " + std::strerror(error));
}

// Closes a file descriptor on every exit path.
struct FileDescriptor {
  int fd;
  explicit FileDescriptor(int fd) : fd(fd) {}
  ~FileDescriptor() {
    if (fd >= 0)
      ::close(fd);
  }
  FileDescriptor(const FileDescriptor &) = delete;
  FileDescriptor &operator=(const FileDescriptor &) = delete;
};

std::string directoryOf(const std::string &path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}
} // namespace

StatusOr<std::string> readFile(const std::string &path, size_t maxBytes) {
  FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.fd < 0)
    return errnoError(path, "cannot open", errno);
  struct stat info;
  if (::fstat(file.fd, &info) != 0)
    return errnoError(path, "cannot stat", errno);
  if (!S_ISREG(info.st_mode))
    return Status::error(path + ": not a regular file");
  if (static_cast<unsigned long long>(info.st_size) > maxBytes)
    return Status::error(path + ": file of " + std::to_string(info.st_size) +
                         " bytes exceeds the limit of " + std::to_string(maxBytes));
  std::string bytes(static_cast<size_t>(info.st_size), '\0');
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::read(file.fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return errnoError(path, "cannot read", errno);
    if (n == 0)
      break; // the file shrank while we read it
    done += static_cast<size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}

Status writeFileAtomically(const std::string &path, std::string_view bytes) {
  std::string temporary = path + ".tmp." + std::to_string(::getpid());
  // O_EXCL: never write through a symlink or clobber someone else's file.
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    return errnoError(temporary, "cannot create", errno);
  auto abandon = [&](const char *what, int error) {
    ::close(fd);
    ::unlink(temporary.c_str());
    return errnoError(temporary, what, error);
  };
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return abandon("cannot write", errno);
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0)
    return abandon("cannot fsync", errno);
  if (::close(fd) != 0) {
    int error = errno;
    ::unlink(temporary.c_str());
    return errnoError(temporary, "cannot close", error);
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    int error = errno;
    ::unlink(temporary.c_str());
    return errnoError(path, "cannot replace", error);
  }
  // Make the rename itself durable.
  FileDescriptor directory(
      ::open(directoryOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (directory.fd >= 0)
    ::fsync(directory.fd);
  return Status();
}

} // namespace needle::runtime

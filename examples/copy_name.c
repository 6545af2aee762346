#include <string.h>

struct user {
    char name[32];
};

void set_name(struct user *u, const char *name, size_t len)
{
    memcpy(u->name, name, len);
    u->name[len] = '\0';
}

#include <cblas.h>
#include <lapacke.h>
#include <malloc.h>

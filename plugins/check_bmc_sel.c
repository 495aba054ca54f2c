#include "psrc.h"
int main(void);
int main(void) { return 3; }

#include "config.h"

#include "app.h"

int main(int argc, char **argv)
{
    return ps__app_main(argc, argv);
}

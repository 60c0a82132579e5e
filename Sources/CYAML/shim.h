#ifndef PERSONA_CYAML_SHIM_H
#define PERSONA_CYAML_SHIM_H
#include <yaml.h>
#endif

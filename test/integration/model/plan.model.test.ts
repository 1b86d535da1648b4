import { describeModel } from '../../support/model/driver.js';
import { planModel } from '../../support/model/plan.model.js';

describeModel(planModel);
